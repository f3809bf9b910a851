package io.casefeed.streams.it;

import static io.casefeed.streams.testing.Cases.T0;
import static io.casefeed.streams.testing.Cases.account;
import static io.casefeed.streams.testing.Cases.aws;
import static io.casefeed.streams.testing.Cases.details;
import static io.casefeed.streams.testing.Cases.newestFirst;
import static io.casefeed.streams.testing.Cases.observation;
import static io.casefeed.streams.testing.Cases.sweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseCount;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.SweepRecord;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.schemas.DeadLetters;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.InMemorySchemaRegistryClient;
import io.casefeed.streams.CaseStreamsApp;
import io.casefeed.streams.config.StreamProcessorConfig;
import io.casefeed.streams.testing.Http;
import io.casefeed.streams.testing.KafkaIO;
import io.casefeed.streams.testing.StreamsTestConfig;
import io.casefeed.schemas.serde.AvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scripted sequence through the real app on the real broker: change feed, latest states, pivot, DLQ and the query API. */
class StreamsPipelineIT {

  private static final String A1 = "111111111111";
  private static final String A2 = "222222222222";
  private static final String SERVICE = "amazon-elastic-compute-cloud-linux";

  @TempDir Path stateDir;

  @Test
  void scriptedObservationsMakeExactlyTheExpectedChangesStatesAndPivot() throws Exception {
    String prefix = KafkaFixture.unique("pipeline") + ".";
    KafkaFixture.createTopics(prefix, Topics.ALL, 2);
    String bootstrap = KafkaFixture.bootstrapServers();
    InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    StreamProcessorConfig config = new StreamProcessorConfig(
        StreamsTestConfig.settings(prefix, KafkaFixture.unique("pipeline-app"), stateDir, "http://127.0.0.1:1"));
    AvroSerde<CaseObservation> observationSerde = new AvroSerde<>(CaseObservation.class, registry);
    AvroSerde<AccountRecord> accountSerde = new AvroSerde<>(AccountRecord.class, registry);

    try (CaseStreamsApp app = new CaseStreamsApp(config, registry, Clock.systemUTC(), meters).start();
        KafkaProducer<String, CaseObservation> observations = KafkaIO.producer(bootstrap, observationSerde.serializer());
        KafkaProducer<String, AccountRecord> accounts = KafkaIO.producer(bootstrap, accountSerde.serializer());
        KafkaProducer<byte[], byte[]> raw = KafkaIO.rawProducer(bootstrap)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> app.state() == KafkaStreams.State.RUNNING);
      KafkaIO.send(accounts, prefix + Topics.ACCOUNTS.name(), A1, account(A1));
      KafkaIO.send(accounts, prefix + Topics.ACCOUNTS.name(), A2, account(A2));
      String observationsTopic = prefix + Topics.CASE_OBSERVATIONS.name();
      Instant t1 = T0.plusSeconds(600);
      Instant t2 = T0.plusSeconds(1200);
      List<CaseObservation> script = List.of(
          observation(details(A1, "c1").build(), T0),
          observation(details(A1, "c1").build(), T0.plusSeconds(60)),
          observation(details(A1, "c1").build(), T0.plusSeconds(120)),
          observation(details(A2, "c2").build(), T0, true),
          observation(details(A1, "c1").setStatus("work-in-progress").setRecentCommunications(newestFirst(aws("on it", t1))).build(), t1),
          observation(details(A2, "c2").setSeverityCode("high").build(), t1, true),
          observation(details(A1, "c1").setStatus("opened").build(), T0.plusSeconds(300)),
          observation(details(A1, "c1").setStatus("resolved").setRecentCommunications(newestFirst(aws("on it", t1))).build(), t2),
          observation(details(A1, "c1").setStatus("resolved").setRecentCommunications(newestFirst(aws("on it", t1))).build(), t2.plusSeconds(60)));
      for (CaseObservation observation : script) {
        KafkaIO.send(observations, observationsTopic, CaseKeys.of(observation.getAccountId(), observation.getCaseDetails().getCaseId()), observation);
      }
      raw.send(new ProducerRecord<>(observationsTopic, "111111111111:poison".getBytes(StandardCharsets.UTF_8),
          new byte[] {0, 0, 0, 0, 99, 1, 2})).get();
      try (KafkaProducer<String, SweepRecord> sweeps = KafkaIO.producer(bootstrap, new AvroSerde<>(SweepRecord.class, registry).serializer())) {
        KafkaIO.send(sweeps, prefix + Topics.SWEEPS.name(), A1, sweep(A1, "ok", t2));
      }

      AvroSerde<CaseChange> changeSerde = new AvroSerde<>(CaseChange.class, registry);
      List<ConsumerRecord<String, CaseChange>> changes = KafkaIO.readUntil(bootstrap, prefix + Topics.CASE_CHANGES.name(),
          changeSerde.deserializer(), Duration.ofSeconds(60), read -> read.size() >= 6);
      assertThat(changes).hasSize(6);
      assertThat(KafkaIO.readUntil(bootstrap, prefix + Topics.CASE_CHANGES.name(), changeSerde.deserializer(),
          Duration.ofSeconds(3), read -> read.size() > 6)).as("no further change arrives").hasSize(6);
      Map<String, List<String>> typesByCase = new HashMap<>();
      changes.forEach(record -> typesByCase.computeIfAbsent(record.value().getCaseId(), c -> new java.util.ArrayList<>())
          .add(record.value().getChangeType() + "@" + record.value().getVersion() + (record.value().getBackfill() ? "/backfill" : "")));
      assertThat(typesByCase).containsOnlyKeys("c1", "c2");
      assertThat(typesByCase.get("c1")).containsExactly("CASE_OPENED@1", "STATUS_CHANGED@2", "COMMUNICATION_ADDED@3", "CASE_RESOLVED@4");
      assertThat(typesByCase.get("c2")).containsExactly("CASE_OPENED@1/backfill", "SEVERITY_CHANGED@2/backfill");

      AvroSerde<CaseState> stateSerde = new AvroSerde<>(CaseState.class, registry);
      Map<String, CaseState> latest = latestByKey(KafkaIO.readUntil(bootstrap, prefix + Topics.CASES.name(), stateSerde.deserializer(),
          Duration.ofSeconds(60), read -> latestByKey(read).values().stream().mapToLong(CaseState::getVersion).sum() == 6));
      assertThat(latest.get(CaseKeys.of(A1, "c1")).getCaseDetails().getStatus()).isEqualTo("resolved");
      assertThat(latest.get(CaseKeys.of(A1, "c1")).getFirstAwsResponseAt()).isEqualTo(t1);
      assertThat(latest.get(CaseKeys.of(A2, "c2")).getCaseDetails().getSeverityCode()).isEqualTo("high");

      AvroSerde<CaseCount> countSerde = new AvroSerde<>(CaseCount.class, registry);
      String resolvedCell = A1 + "|resolved|normal|" + SERVICE + "|en";
      String highCell = A2 + "|opened|high|" + SERVICE + "|en";
      Map<String, CaseCount> cells = latestByKey(KafkaIO.readUntil(bootstrap, prefix + Topics.CASE_COUNTS.name(), countSerde.deserializer(),
          Duration.ofSeconds(60), read -> latestByKey(read).keySet().equals(java.util.Set.of(resolvedCell, highCell))));
      assertThat(cells).containsOnlyKeys(resolvedCell, highCell);
      assertThat(cells.values()).extracting(CaseCount::getCount).containsOnly(1L);

      List<ConsumerRecord<byte[], byte[]>> dead = KafkaIO.readRaw(bootstrap, prefix + Topics.DEAD_LETTER.name(), 1, Duration.ofSeconds(30));
      assertThat(dead).hasSize(1);
      assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON)).contains("unknown schema id 99");
      assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(observationsTopic);
      assertThat(meters.get("casefeed.streams.dead.letters").counter().count()).isEqualTo(1.0);
      assertThat(meters.get("casefeed.streams.changes").tag("type", "CASE_OPENED").counter().count()).isEqualTo(2.0);

      String api = app.queryUrl();
      assertThat(Http.get(api + "/health").body().path("status").asText()).isEqualTo("UP");
      JsonNode open = Http.get(api + "/api/cases?state=open").body();
      assertThat(open.path("total").asInt()).isEqualTo(1);
      assertThat(open.path("cases").get(0).path("caseDetails").path("caseId").asText()).isEqualTo("c2");
      JsonNode c1 = Http.get(api + "/api/cases/" + A1 + "/c1").body();
      assertThat(c1.path("history")).extracting(node -> node.path("changeType").asText())
          .containsExactly("CASE_OPENED", "STATUS_CHANGED", "COMMUNICATION_ADDED", "CASE_RESOLVED");
      JsonNode pivot = Http.get(api + "/api/pivot?rows=account&cols=status").body();
      assertThat(pivot.path("total").asLong()).isEqualTo(2);
      assertThat(pivot.path("data").get(0).path("counts").path("resolved").asLong()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(Http.get(api + "/api/accounts").body().get(0).path("lastPollOutcome").asText()).isEqualTo("ok"));
      assertThat(Http.get(api + "/api/stats").body().path("resolved").asInt()).isEqualTo(1);
      assertThat(Http.get(api + "/api/pivot?rows=nonsense").status()).isEqualTo(400);

      // A2 leaves casefeed.accounts: its case is tombstoned and leaves the pivot.
      accounts.send(new ProducerRecord<>(prefix + Topics.ACCOUNTS.name(), A2, null)).get();
      List<ConsumerRecord<String, CaseState>> tombstoned = KafkaIO.readUntil(bootstrap, prefix + Topics.CASES.name(),
          stateSerde.deserializer(), Duration.ofSeconds(60), read -> !latestByKey(read).containsKey(CaseKeys.of(A2, "c2")) && read.size() > 2);
      assertThat(latestByKey(tombstoned)).containsOnlyKeys(CaseKeys.of(A1, "c1"));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(Http.get(api + "/api/pivot?rows=account").body().path("total").asLong()).isEqualTo(1));
    }
  }

  private static <V> Map<String, V> latestByKey(List<ConsumerRecord<String, V>> records) {
    Map<String, V> latest = new HashMap<>();
    for (ConsumerRecord<String, V> record : records) {
      if (record.value() == null) {
        latest.remove(record.key());
      } else {
        latest.put(record.key(), record.value());
      }
    }
    return latest;
  }
}
