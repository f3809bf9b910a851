package io.casefeed.collector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.localcloud.LocalCloud;
import io.casefeed.localcloud.SimulatedAccount;
import io.casefeed.localcloud.SimulatedCase;
import io.casefeed.localcloud.events.EventDelivery;
import io.casefeed.localcloud.events.SupportCaseEvent;
import io.casefeed.schema.SupportEvent;
import io.casefeed.schemas.Topics;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SIGKILL of the collector's SQS → Kafka reader between the SQS receive and Kafka's acknowledgement
 * loses no event and duplicates none. The reader runs in a JVM of its own ({@link EventReaderProcess}),
 * wired as the collector wires it; the first JVM holds the first event it received (never produces it)
 * and is killed while its batch is invisible on the queue. The second JVM receives the batch again once
 * the visibility timeout ran out (ElasticMQ in local-cloud honours it as SQS does) and hands it off.
 *
 * <p>The assertion is on casefeed.support-events itself (read_committed; the producer is idempotent,
 * not transactional): the killed JVM produced nothing, so every event id is there exactly once, with
 * no deduplication downstream needed. The queue ends empty and the SQS dead-letter queue stays empty.
 */
class CollectorEventCrashIT {

  private static final int VISIBILITY_S = 10;

  @TempDir Path dir;

  @Test
  void aReaderKilledBetweenReceiveAndAcknowledgementLosesNoEventAndDuplicatesNone() throws Exception {
    String prefix = KafkaFixture.unique("event-crash") + ".";
    List<String> topics = KafkaFixture.createTopics(prefix, List.of(Topics.SUPPORT_EVENTS, Topics.DEAD_LETTER), 3);
    String eventsTopic = topics.get(0);
    String deadLetterTopic = topics.get(1);
    try (LocalCloud cloud = CollectorFixture.start(CollectorFixture.frozen(6, 1, 2, 0));
         SqsClient sqs = CollectorFixture.sqs(cloud)) {
      cloud.simulation().pause();
      // The queue as deploy/ makes it: a dead-letter queue behind a redrive policy.
      String dlq = sqs.createQueue(b -> b.queueName("event-crash-dlq")).queueUrl();
      String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
          .attributes().get(QueueAttributeName.QUEUE_ARN);
      String queue = sqs.createQueue(b -> b.queueName("event-crash").attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
          "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"3\"}"))).queueUrl();

      List<SimulatedAccount> accounts = cloud.simulation().accounts().stream()
          .filter(a -> a.supportPlan() && a.active()).toList();
      cloud.supportEvents().configure(EventDelivery.to(queue, Duration.ZERO));
      for (int i = 0; i < 4; i++) {
        SimulatedCase c = cloud.simulation().createCase(accounts.get(i % accounts.size()).id(), "crash " + i, "general-info",
            "low", "en");
        cloud.simulation().addCommunication(c.caseId(), i % 2 == 0, "crash reply " + i);
      }
      cloud.supportEvents().configure(EventDelivery.OFF);
      Set<String> truth = cloud.supportEvents().announced().stream().map(SupportCaseEvent::eventId).collect(Collectors.toSet());
      assertThat(truth).hasSize(8);
      await().atMost(Duration.ofSeconds(30)).until(() -> CollectorFixture.queueDepth(sqs, queue) == truth.size());

      Map<String, String> settings = CollectorFixture.settings(cloud, prefix);
      settings.put("accounts.static", accounts.stream().map(SimulatedAccount::id).collect(Collectors.joining(",")));
      settings.put("events.queue.url", queue);
      settings.put("aws.sqs.endpoint.override", cloud.sqsEndpoint().toString());
      settings.put("events.visibility.timeout.seconds", Integer.toString(VISIBILITY_S));

      Path heldMarker = dir.resolve("a.marker");
      Process a = start(settings, "event-crash-a", "hold", heldMarker);
      Process b = null;
      try {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> Files.exists(heldMarker) && Files.readString(heldMarker).contains("held "));
        Instant heldSeen = Instant.now();
        // Received, not acknowledged: the batch is invisible on the queue and nothing reached the topic.
        assertThat(attribute(sqs, queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).isPositive();
        assertThat(CollectorFixture.readAll(cloud, eventsTopic, SupportEvent.class)).isEmpty();

        a.destroyForcibly();
        assertThat(a.waitFor(30, TimeUnit.SECONDS)).as("the killed JVM ended").isTrue();
        assertThat(a.isAlive()).isFalse();
        assertThat(a.exitValue()).as("128 + SIGKILL").isEqualTo(137);
        // Its receive still holds the batch: the kill did not give the messages back early.
        assertThat(attribute(sqs, queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).isPositive();

        b = start(settings, "event-crash-b", "pass", dir.resolve("b.marker"));
        Process second = b;
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
          assertThat(second.isAlive()).isTrue();
          assertThat(eventIds(cloud, eventsTopic)).containsExactlyInAnyOrderElementsOf(truth);
          assertThat(CollectorFixture.queueDepth(sqs, queue)).as("messages left on the queue, visible or not").isZero();
        });

        List<SupportEvent> events = CollectorFixture.readAll(cloud, eventsTopic, SupportEvent.class).stream()
            .map(ConsumerRecord::value).toList();
        Map<String, Long> copies = events.stream().collect(Collectors.groupingBy(SupportEvent::getEventId, Collectors.counting()));
        assertThat(copies).as("each event id once on casefeed.support-events").containsOnlyKeys(truth)
            .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
        String heldId = Files.readString(heldMarker).lines().filter(l -> l.startsWith("held ")).findFirst().orElseThrow()
            .substring("held ".length());
        Map<String, SupportEvent> byId = events.stream().collect(Collectors.toMap(SupportEvent::getEventId, Function.identity()));
        // The held message came back only after its visibility timeout (less a margin for the marker's lag).
        assertThat(byId.get(heldId).getReceivedAt()).isAfter(heldSeen.plusSeconds(VISIBILITY_S - 2));
        assertThat(CollectorFixture.queueDepth(sqs, dlq)).as("messages in the SQS dead-letter queue").isZero();
        assertThat(CollectorFixture.readAll(cloud, deadLetterTopic, SupportEvent.class)).as("casefeed.dead-letter").isEmpty();
      } finally {
        a.destroyForcibly();
        if (b != null) {
          b.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
      }
    }
  }

  private static List<String> eventIds(LocalCloud cloud, String topic) {
    return CollectorFixture.readAll(cloud, topic, SupportEvent.class).stream().map(r -> r.value().getEventId()).toList();
  }

  private static int attribute(SqsClient sqs, String queue, QueueAttributeName name) {
    return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(name)).attributes().get(name));
  }

  private Process start(Map<String, String> settings, String id, String mode, Path marker) throws IOException {
    Properties properties = new Properties();
    properties.putAll(settings);
    properties.put("collector.id", id);
    Path config = dir.resolve(id + ".properties");
    try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
      properties.store(w, id);
    }
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Duser.timezone=UTC",
        "-cp", System.getProperty("java.class.path"), EventReaderProcess.class.getName(), config.toString(), mode,
        marker.toString()));
    return new ProcessBuilder(command)
        .redirectOutput(dir.resolve(id + ".out").toFile())
        .redirectError(dir.resolve(id + ".err").toFile())
        .start();
  }
}
