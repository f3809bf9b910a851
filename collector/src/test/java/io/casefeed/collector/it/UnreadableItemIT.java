package io.casefeed.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.collector.metrics.CollectorMetrics;
import io.casefeed.collector.publish.KafkaPublisher;
import io.casefeed.collector.publish.ObservationSink.UnreadableItem;
import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.schemas.DeadLetters;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.InMemorySchemaRegistryClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** A Support item the collector cannot read lands on the real dead-letter topic, readable and explained. */
class UnreadableItemIT {

  @Test
  void anUnreadableSupportItemIsStoredOnTheDeadLetterTopicWithItsReason() throws Exception {
    String prefix = KafkaFixture.unique("unreadable") + ".";
    String deadLetterTopic = KafkaFixture.createTopics(prefix, List.of(Topics.DEAD_LETTER), 1).get(0);
    Map<String, Object> kafka = Map.of("bootstrap.servers", KafkaFixture.bootstrapServers());
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    String item = "{\"caseId\":null,\"subject\":\"a case AWS sent without its id\"}";
    Instant seenAt = Instant.parse("2026-11-27T02:00:00Z");

    try (KafkaPublisher publisher = new KafkaPublisher(kafka, "collector-it-7", new KafkaPublisher.Topics("unused", "unused",
        "unused", deadLetterTopic), new InMemorySchemaRegistryClient(), true, new CollectorMetrics(meters))) {
      publisher.unreadable(new UnreadableItem("123456789012", "Support DescribeCases item without caseId", null, item, seenAt))
          .get(60, TimeUnit.SECONDS);
    }

    List<ConsumerRecord<String, byte[]>> letters = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, KafkaFixture.unique("dlq-check"), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(deadLetterTopic));
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (letters.isEmpty() && System.nanoTime() < end) {
        consumer.poll(Duration.ofMillis(500)).forEach(letters::add);
      }
    }
    assertThat(letters).singleElement().satisfies(letter -> {
      assertThat(letter.key()).isEqualTo("123456789012");
      assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo(item);
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.REASON)).isEqualTo("Support DescribeCases item without caseId");
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo("support:DescribeCases");
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.FAILED_BY)).isEqualTo("collector-it-7");
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.FAILED_AT)).isEqualTo("2026-11-27T02:00:00Z");
    });
    assertThat(meters.get("casefeed.collector.reply.unreadable").counter().count()).isEqualTo(1.0);
  }
}
