package io.casefeed.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.schemas.TopicSpec;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.examples.ExampleRecords;
import io.casefeed.schemas.registry.InMemorySchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.schemas.serde.WireFormat;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A record of every value schema, written and read through a real broker in the registry wire format. */
class WireFormatRoundTripIT {

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void everyTopicsExampleValueSurvivesTheBrokerByteForByte() {
    String prefix = KafkaFixture.unique("wire") + ".";
    var examples = ExampleRecords.byTopic();
    KafkaFixture.createTopics(prefix, examples.keySet(), 1);
    InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    Map<TopicSpec, byte[]> written = new HashMap<>();

    try (var producer = new KafkaProducer<String, byte[]>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers(),
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer())) {
      examples.forEach((topic, value) -> {
        byte[] bytes = new AvroSerde(value.getClass(), registry).serialize(prefix + topic.name(), value);
        written.put(topic, bytes);
        producer.send(new ProducerRecord<>(prefix + topic.name(), ExampleRecords.keyFor(topic), bytes));
      });
      producer.flush();
    }

    for (var entry : examples.entrySet()) {
      TopicSpec topic = entry.getKey();
      ConsumerRecord<String, byte[]> record = readOne(prefix + topic.name());
      assertThat(record.key()).isEqualTo(ExampleRecords.keyFor(topic));
      assertThat(record.value()).isEqualTo(written.get(topic));
      assertThat(WireFormat.schemaId(record.value())).isPositive();
      SpecificRecord decoded = (SpecificRecord) new AvroSerde(entry.getValue().getClass(), registry)
          .deserialize(prefix + topic.name(), record.value());
      assertThat(decoded).as(topic.name()).isEqualTo(entry.getValue());
    }
    assertThat(written).hasSize(Topics.ALL.size() - 1); // every topic but the dead letters, whose values are raw bytes
  }

  private static ConsumerRecord<String, byte[]> readOne(String topic) {
    try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, KafkaFixture.unique("wire-reader"),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + 30_000;
      while (System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          return record;
        }
      }
    }
    throw new AssertionError("nothing read from " + topic + " within 30 s");
  }
}
