package io.casefeed.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.schema.NotificationRecord;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.InMemorySchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.streams.CaseStreamsApp;
import io.casefeed.streams.config.StreamProcessorConfig;
import io.casefeed.streams.testing.Http;
import io.casefeed.streams.testing.KafkaIO;
import io.casefeed.streams.testing.StreamsTestConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's notifications, end to end on the real broker: the stream-processor waits for a
 * ledger topic that does not exist yet, then follows the notifier's records as the notifier writes
 * them (Avro, registry wire format): recent notifications per target, a target answering 4xx
 * reported as refusing, a record it cannot decode passed over, a tombstone honoured.
 */
class NotificationsFeedIT {

  private static final String TOKEN = "notifications-it-token-0123456789";
  private static final Instant WINDOW = Instant.parse("2026-11-26T08:00:00Z");

  @TempDir Path stateDir;

  private static NotificationRecord record(String id, String recipient, String stage, Instant at, String error) {
    return NotificationRecord.newBuilder().setMailId(id).setKind("alert").setStage(stage).setRecipientGroup("prod")
        .setRecipient(recipient).setPeriod(WINDOW.toString()).setSubject("[casefeed] prod: 1 urgent case opened")
        .setSesMessageId("sent".equals(stage) ? "HTTP 200" : null).setError(error).setRecordedAt(at).build();
  }

  private static JsonNode target(JsonNode reply, String name) {
    return StreamSupport.stream(reply.path("targets").spliterator(), false).filter(t -> t.path("target").asText().equals(name))
        .findFirst().orElse(null);
  }

  @Test
  void theQueryApiListsRecentNotificationsPerTargetAndReportsATargetThatRefuses() throws Exception {
    String prefix = KafkaFixture.unique("notifications") + ".";
    KafkaFixture.createTopics(prefix, Topics.ALL.stream().filter(t -> t != Topics.NOTIFICATIONS).toList(), 1);
    InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    Map<String, String> settings = new java.util.HashMap<>(
        StreamsTestConfig.settings(prefix, KafkaFixture.unique("notifications-app"), stateDir, "http://127.0.0.1:1"));
    settings.put(StreamProcessorConfig.QUERY_TOKEN, TOKEN);
    settings.put(StreamProcessorConfig.QUERY_NOTIFICATIONS_RECENT, "2");
    String topic = prefix + Topics.NOTIFICATIONS.name();

    List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread.UncaughtExceptionHandler previousHandler = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, error) -> uncaught.add(error));
    try (CaseStreamsApp app = new CaseStreamsApp(new StreamProcessorConfig(settings), registry, Clock.systemUTC(),
        new SimpleMeterRegistry()).start()) {
      String url = app.queryUrl() + "/api/notifications";
      assertThat(Http.get(url).status()).as("the ledger's view is behind the token like the rest of /api").isEqualTo(401);
      JsonNode before = Http.get(url, TOKEN).body();
      assertThat(before.path("enabled").asBoolean()).isTrue();
      assertThat(before.path("reading").asBoolean()).as("no notifier has created the ledger yet").isFalse();
      assertThat(before.path("targets")).isEmpty();

      KafkaFixture.createTopics(prefix, List.of(Topics.NOTIFICATIONS), 2);
      try (KafkaProducer<String, NotificationRecord> ledger = KafkaIO.producer(KafkaFixture.bootstrapServers(),
          new AvroSerde<>(NotificationRecord.class, registry).serializer());
          KafkaProducer<byte[], byte[]> raw = KafkaIO.rawProducer(KafkaFixture.bootstrapServers())) {
        for (int i = 1; i <= 3; i++) {
          String id = "alert|" + WINDOW.plusSeconds(60L * i) + "|prod|slack:oncall";
          KafkaIO.send(ledger, topic, id, record(id, "slack:oncall", "intended", WINDOW.plusSeconds(60L * i), null));
          KafkaIO.send(ledger, topic, id, record(id, "slack:oncall", "sent", WINDOW.plusSeconds(60L * i + 1), null));
        }
        String revoked = "alert|" + WINDOW + "|prod|webhook:tickets";
        KafkaIO.send(ledger, topic, revoked, record(revoked, "webhook:tickets", "intended", WINDOW, null));
        KafkaIO.send(ledger, topic, revoked, record(revoked, "webhook:tickets", "rejected", WINDOW.plusSeconds(1),
            "rejected: webhook:tickets answered HTTP 410: gone"));
        String mail = "alert|" + WINDOW + "|prod|ops@example.com";
        KafkaIO.send(ledger, topic, mail, record(mail, "ops@example.com", "sent", WINDOW.plusSeconds(2), null));
        String gone = "alert|" + WINDOW + "|prod|teams:old";
        KafkaIO.send(ledger, topic, gone, record(gone, "teams:old", "sent", WINDOW.plusSeconds(3), null));
        raw.send(new ProducerRecord<>(topic, "garbage".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 99, 1})).get();
        KafkaIO.send(ledger, topic, gone, null);
      }

      JsonNode reply = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .until(() -> Http.get(url, TOKEN).body(), r -> r.path("passedOver").asLong() == 1 && target(r, "slack:oncall") != null
              && target(r, "slack:oncall").path("stages").path("sent").asInt() == 3 && target(r, "teams:old") == null
              && target(r, "webhook:tickets") != null && target(r, "ops@example.com") != null);

      assertThat(reply.path("reading").asBoolean()).isTrue();
      assertThat(reply.path("lastRead").asText()).endsWith("Z");
      JsonNode refusing = reply.path("targets").get(0);
      assertThat(refusing.path("target").asText()).as("a refusing target comes first").isEqualTo("webhook:tickets");
      assertThat(refusing.path("channel").asText()).isEqualTo("webhook");
      assertThat(refusing.path("refusing").asBoolean()).isTrue();
      assertThat(refusing.path("lastError").asText()).contains("HTTP 410");
      assertThat(refusing.path("lastErrorAt").asText()).isEqualTo(WINDOW.plusSeconds(1).toString());

      JsonNode slack = target(reply, "slack:oncall");
      assertThat(slack.path("refusing").asBoolean()).isFalse();
      assertThat(slack.path("recent")).as("query.notifications.recent=2: the newest two").hasSize(2);
      assertThat(slack.path("recent").get(0).path("at").asText()).isEqualTo(WINDOW.plusSeconds(181).toString());
      assertThat(slack.path("recent").get(0).path("stage").asText()).isEqualTo("sent");
      assertThat(slack.path("recent").get(0).path("kind").asText()).isEqualTo("alert");
      assertThat(target(reply, "ops@example.com").path("channel").asText()).isEqualTo("email");
      assertThat(reply.toString()).as("no subject leaves the ledger here").doesNotContain("urgent case opened");
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previousHandler);
    }
    assertThat(uncaught).as("the feed's thread ends quietly when the app closes").isEmpty();
  }
}
