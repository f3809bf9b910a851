package io.casefeed.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.collector.events.EventSink;
import io.casefeed.collector.events.KafkaEventSink;
import io.casefeed.collector.events.SqsEventReader;
import io.casefeed.collector.metrics.CollectorMetrics;
import io.casefeed.collector.publish.KafkaPublisher;
import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.localcloud.LocalCloud;
import io.casefeed.localcloud.SimulatedAccount;
import io.casefeed.localcloud.SimulatedCase;
import io.casefeed.localcloud.events.EventDelivery;
import io.casefeed.localcloud.events.SupportCaseEvent;
import io.casefeed.schema.SupportEvent;
import io.casefeed.schemas.DeadLetters;
import io.casefeed.schemas.Topics;
import io.casefeed.localcloud.events.SupportEventEnvelope;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * local-cloud's EventBridge (with duplicates and reordering) → SQS → the collector's queue reader →
 * casefeed.support-events; malformed messages and events of unfollowed accounts → casefeed.dead-letter;
 * a hand-off Kafka did not acknowledge leaves the message on the queue, to come again. Nothing lost.
 */
class SupportEventsQueueIT {

  @Test
  void everyDeliveredEventReachesTheTopicAndEveryRejectTheDeadLetterTopic() throws Exception {
    String prefix = KafkaFixture.unique("sqs-events") + ".";
    List<String> topics = KafkaFixture.createTopics(prefix, List.of(Topics.SUPPORT_EVENTS, Topics.DEAD_LETTER), 3);
    String eventsTopic = topics.get(0);
    String deadLetterTopic = topics.get(1);
    try (LocalCloud cloud = CollectorFixture.start(CollectorFixture.frozen(6, 1, 3, 0));
         SqsClient sqs = CollectorFixture.sqs(cloud);
         KafkaPublisher publisher = new KafkaPublisher(Map.of("bootstrap.servers", KafkaFixture.bootstrapServers()),
             "collector-sqs-it", new KafkaPublisher.Topics("unused", "unused", "unused", deadLetterTopic),
             new HttpSchemaRegistryClient(cloud.schemaRegistryUrl()), true, new CollectorMetrics(new SimpleMeterRegistry()))) {
      cloud.simulation().pause();
      String queue = sqs.createQueue(b -> b.queueName("support-events")).queueUrl();
      Set<String> followed = cloud.simulation().accounts().stream().map(SimulatedAccount::id).collect(Collectors.toSet());
      AvroSerde<SupportEvent> serde = new AvroSerde<>(SupportEvent.class, new HttpSchemaRegistryClient(cloud.schemaRegistryUrl()),
          true, false);
      KafkaEventSink sink = new KafkaEventSink(publisher, serde, eventsTopic, deadLetterTopic, "sqs:support-events", "collector-sqs-it");

      // The organisation lives: 12 changes on 6 accounts, half of the events sent twice, most held back a little.
      cloud.supportEvents().configure(EventDelivery.to(queue, Duration.ZERO).withFaults(0, 0.5, 0.8, Duration.ofMillis(300)));
      List<SimulatedAccount> accounts = cloud.simulation().accounts().stream().filter(SimulatedAccount::supportPlan).toList();
      for (int i = 0; i < 6; i++) {
        SimulatedCase c = cloud.simulation().createCase(accounts.get(i % accounts.size()).id(), "event " + i, "general-info", "low", "en");
        cloud.simulation().addCommunication(c.caseId(), i % 2 == 0, "reply " + i);
      }
      cloud.supportEvents().configure(EventDelivery.OFF);
      List<SupportCaseEvent> truth = cloud.supportEvents().announced();
      int copies = truth.stream().mapToInt(SupportCaseEvent::copiesSent).sum();
      // Two messages that are no event casefeed takes.
      sqs.sendMessage(b -> b.queueUrl(queue).messageBody("{\"version\":\"0\",\"account\":\"123456789012\",\"detail-type\":\"EC2 Instance State-change Notification\"}"));
      sqs.sendMessage(b -> b.queueUrl(queue).messageBody(SupportEventEnvelope.json("stranger-1", "999999999999", Instant.now(),
          "us-east-1", "case-999999999999-muen-2026-1", "1", null, "CreateCase", null)));
      int expected = copies + 2;
      awaitOnQueue(sqs, queue, expected);

      // A hand-off Kafka never acknowledges: nothing is deleted, the batch comes back after the visibility timeout.
      EventSink broken = new EventSink() {
        @Override
        public CompletableFuture<Void> event(SupportEvent event) {
          return CompletableFuture.failedFuture(new IllegalStateException("broker gone"));
        }

        @Override
        public CompletableFuture<Void> rejected(String accountId, String reason, String body, String messageId, Instant at) {
          return CompletableFuture.failedFuture(new IllegalStateException("broker gone"));
        }
      };
      SqsEventReader.Batch lost = new SqsEventReader(sqs, queue, Duration.ofSeconds(2), broken, followed::contains,
          Clock.systemUTC(), 1).receiveOnce();
      assertThat(lost.received()).isPositive();
      assertThat(lost.deleted()).isZero();
      assertThat(lost.failed()).isEqualTo(lost.received());

      SqsEventReader reader = new SqsEventReader(sqs, queue, Duration.ofSeconds(30), sink, followed::contains, Clock.systemUTC(), 2);
      List<SqsEventReader.Batch> batches = new ArrayList<>();
      int taken = 0;
      for (int polls = 0; taken < expected && polls < 60; polls++) {
        SqsEventReader.Batch batch = reader.receiveOnce();
        batches.add(batch);
        taken += batch.deleted();
      }

      assertThat(batches).allSatisfy(b -> assertThat(b.received()).isLessThanOrEqualTo(SqsEventReader.BATCH));
      assertThat(taken).as("messages handed off and deleted").isEqualTo(expected);
      assertThat(CollectorFixture.queueDepth(sqs, queue)).as("messages left on the queue, visible or not").isZero();

      List<ConsumerRecord<String, byte[]>> onTopic = CollectorFixture.readRaw(eventsTopic);
      List<SupportEvent> events = onTopic.stream().map(r -> serde.deserialize(eventsTopic, r.value())).toList();
      assertThat(events).hasSize(copies);
      assertThat(events.stream().map(SupportEvent::getEventId).collect(Collectors.toSet()))
          .isEqualTo(truth.stream().map(SupportCaseEvent::eventId).collect(Collectors.toSet()));
      assertThat(onTopic).allSatisfy(r -> assertThat(r.key()).isEqualTo(serde.deserialize(eventsTopic, r.value()).getAccountId()));
      Map<String, Long> perEvent = events.stream().collect(Collectors.groupingBy(SupportEvent::getEventId, Collectors.counting()));
      truth.forEach(t -> assertThat(perEvent.get(t.eventId())).as(t.eventId()).isEqualTo((long) t.copiesSent()));

      List<ConsumerRecord<String, byte[]>> letters = CollectorFixture.readRaw(deadLetterTopic);
      Map<String, String> reasons = new HashMap<>();
      letters.forEach(l -> reasons.put(new String(l.value(), StandardCharsets.UTF_8), DeadLetters.header(l.headers(), DeadLetters.REASON)));
      assertThat(letters).hasSize(2);
      assertThat(reasons.values()).containsExactlyInAnyOrder(
          "detail-type is \"EC2 Instance State-change Notification\", not \"Support Case Update\"",
          "account 999999999999 is not followed by casefeed");
      assertThat(reasons.keySet()).anySatisfy(body -> assertThat(body).contains("stranger-1"));
      assertThat(letters).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("123456789012", "999999999999");
      assertThat(letters).allSatisfy(l -> {
        assertThat(DeadLetters.header(l.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo("sqs:support-events");
        assertThat(DeadLetters.header(l.headers(), KafkaEventSink.SQS_MESSAGE_ID)).isNotBlank();
      });
    }
  }

  private static void awaitOnQueue(SqsClient sqs, String queue, int count) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> CollectorFixture.queueDepth(sqs, queue) >= count);
  }
}
