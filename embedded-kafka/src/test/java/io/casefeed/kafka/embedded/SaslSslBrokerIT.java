package io.casefeed.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.casefeed.common.config.CommonConfig;
import io.casefeed.schema.SweepRecord;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.examples.ExampleRecords;
import io.casefeed.schemas.registry.InMemorySchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** casefeed's clients, configured through kafka.* keys, against a broker that demands SCRAM over TLS. */
class SaslSslBrokerIT {

  @TempDir Path dir;

  @Test
  void casefeedClientsAuthenticateWithScramOverTlsAndAWrongPasswordIsRefused() throws Exception {
    SaslSslListener listener = SaslSslListener.create(dir.resolve("tls"), "store-secret", Map.of("casefeed", "casefeed-secret"));
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.createWithSaslSsl(dir.resolve("kafka"), listener).start()) {
      broker.createTopics(List.of(Topics.SWEEPS), 1);
      Map<String, String> file = new HashMap<>();
      file.put(CommonConfig.BOOTSTRAP_SERVERS, broker.secureBootstrapServers());
      file.put(CommonConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1");
      listener.clientSettings("casefeed", "casefeed-secret").forEach((k, v) -> file.put("kafka." + k, v.toString()));
      CommonConfig config = new CommonConfig(CommonConfig.define(new ConfigDef()), file);

      var serde = new AvroSerde<>(SweepRecord.class, new InMemorySchemaRegistryClient());
      SweepRecord sweep = (SweepRecord) ExampleRecords.byTopic().get(Topics.SWEEPS);
      Map<String, Object> producerSettings = new HashMap<>(config.kafkaClientSettings());
      producerSettings.put(ProducerConfig.ACKS_CONFIG, "all");
      try (var producer = new KafkaProducer<>(producerSettings, new StringSerializer(), serde.serializer())) {
        producer.send(new ProducerRecord<>(Topics.SWEEPS.name(), sweep.getAccountId(), sweep)).get(60, TimeUnit.SECONDS);
      }
      Map<String, Object> consumerSettings = new HashMap<>(config.kafkaClientSettings());
      consumerSettings.put(ConsumerConfig.GROUP_ID_CONFIG, "sasl-reader");
      consumerSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      consumerSettings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      try (var consumer = new KafkaConsumer<>(consumerSettings, new StringDeserializer(), serde.deserializer())) {
        consumer.subscribe(List.of(Topics.SWEEPS.name()));
        SweepRecord read = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (read == null && System.currentTimeMillis() < deadline) {
          for (var record : consumer.poll(Duration.ofMillis(500))) {
            read = record.value();
          }
        }
        assertThat(read).isEqualTo(sweep);
      }

      Map<String, Object> wrong = new HashMap<>(config.kafkaClientSettings());
      wrong.putAll(listener.clientSettings("casefeed", "not-the-password"));
      wrong.put("request.timeout.ms", 10_000);
      wrong.put("default.api.timeout.ms", 15_000);
      try (Admin admin = Admin.create(wrong)) {
        assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
      }
    }
  }
}
