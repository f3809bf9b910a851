package io.casefeed.collector.it;

import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.localcloud.LocalCloud;
import io.casefeed.localcloud.LocalCloudOptions;
import io.casefeed.localcloud.Scenario;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What the collector integration tests share: local-cloud, the real broker, and reading topics back. */
final class CollectorFixture {

  private CollectorFixture() {}

  /**
   * A frozen organisation (no lifecycle events), so the ground truth does not move under a sweep.
   * The default traits follow the account index: 1 no support plan, 2 no role, 3 hot (cases in en and
   * ja, many pages), 4 throttled at 2 calls/s, 9 suspended.
   */
  static Scenario frozen(int accounts, Integer minCases, Integer maxCases, Integer hotCases) {
    return new Scenario(42L, accounts, null, null, null, null, null, minCases, maxCases, hotCases,
        null, 0.0, null, null, null, null);
  }

  static LocalCloud start(Scenario scenario) {
    return LocalCloud.start(LocalCloudOptions.builder().port(0).scenario(scenario).build());
  }

  /** The collector settings for this cloud and broker, with its own topics and group. */
  static Map<String, String> settings(LocalCloud cloud, String prefix) {
    Map<String, String> m = new HashMap<>();
    m.put("kafka.bootstrap.servers", KafkaFixture.bootstrapServers());
    m.put("schema.registry.url", cloud.schemaRegistryUrl());
    m.put("topic.prefix", prefix);
    m.put("topic.replication.factor", "1");
    m.put("aws.endpoint.override", cloud.awsEndpoint().toString());
    m.put("aws.s3.endpoint.override", cloud.s3Endpoint().toString());
    m.put("aws.s3.path.style", "true");
    m.put("aws.access.key.id", cloud.accessKeyId());
    m.put("aws.secret.access.key", cloud.secretAccessKey());
    m.put("collector.group.id", prefix + "collectors");
    m.put("ratelimit.global.per.second", "200");
    m.put("retry.base.ms", "100");
    m.put("retry.max.ms", "2000");
    m.put("retry.max.attempts", "10");
    m.put("poll.threads", "16");
    return m;
  }

  /** Every record of a topic from its start to its end now, decoded. */
  static <T extends SpecificRecord> List<ConsumerRecord<String, T>> readAll(LocalCloud cloud, String topic, Class<T> type) {
    AvroSerde<T> serde = new AvroSerde<>(type, new HttpSchemaRegistryClient(cloud.schemaRegistryUrl()));
    Map<String, Object> settings = new HashMap<>();
    settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers());
    settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<ConsumerRecord<String, T>> records = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          records.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
              r.serializedKeySize(), r.serializedValueSize(), r.key(), serde.deserialize(topic, r.value()), r.headers(),
              r.leaderEpoch()));
        }
      }
    }
    return records;
  }
}
