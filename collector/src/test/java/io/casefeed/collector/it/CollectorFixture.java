package io.casefeed.collector.it;

import io.casefeed.common.kafka.KafkaClientSettings;
import io.casefeed.common.kafka.TopicReader;
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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

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

  /** Every record of a topic from its start to its end now (read_committed), decoded. */
  static <T extends SpecificRecord> List<ConsumerRecord<String, T>> readAll(LocalCloud cloud, String topic, Class<T> type) {
    AvroSerde<T> serde = new AvroSerde<>(type, new HttpSchemaRegistryClient(cloud.schemaRegistryUrl()));
    return readRaw(topic).stream().map(r -> new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(),
        r.timestampType(), r.serializedKeySize(), r.serializedValueSize(), r.key(), serde.deserialize(topic, r.value()), r.headers(),
        r.leaderEpoch())).toList();
  }

  /** Every record of a topic from its start to its end now (read_committed), its value as bytes. */
  static List<ConsumerRecord<String, byte[]>> readRaw(String topic) {
    Map<String, Object> settings = KafkaClientSettings.reader(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        KafkaFixture.bootstrapServers()));
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicReader.readAll(consumer, topic, Duration.ofSeconds(60), records::add);
    }
    return records;
  }

  /** An SQS client of local-cloud's ElasticMQ, as the collector makes one. */
  static SqsClient sqs(LocalCloud cloud) {
    return SqsClient.builder().endpointOverride(cloud.sqsEndpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
  }

  /** Messages on a queue, visible, in flight or delayed. */
  static int queueDepth(SqsClient sqs, String queueUrl) {
    Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
    return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
  }
}
