package io.casefeed.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

  @TempDir Path dataDir;

  @Test
  void createsCatalogueTopicsAndKeepsDataAcrossARestart() throws Exception {
    String topic = Topics.CASE_CHANGES.name();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create(dataDir, 0).start()) {
      broker.createTopics(Topics.ALL, 3);
      try (Admin admin = broker.admin()) {
        Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        assertThat(names).containsAll(Topics.ALL.stream().map(t -> t.name()).toList());
        var cases = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CASES.name());
        String policy = admin.describeConfigs(List.of(cases)).all().get().get(cases).get("cleanup.policy").value();
        assertThat(policy).isEqualTo("compact");
      }
      try (var producer = new KafkaProducer<String, String>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
          ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>(topic, "123456789012:case-1", "before restart")).get();
      }
    }

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create(dataDir, 0).start()) {
      try (Admin admin = broker.admin()) {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        assertThat(description.partitions()).hasSize(3);
      }
      assertThat(readAll(broker.bootstrapServers(), topic)).containsExactly("before restart");
    }
  }

  static List<String> readAll(String bootstrap, String topic) {
    List<String> values = new ArrayList<>();
    try (var consumer = new KafkaConsumer<String, String>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + 30_000;
      while (values.isEmpty() && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }
}
