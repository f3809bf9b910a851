package io.casefeed.notifier.it;

import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.localcloud.LocalCloud;
import io.casefeed.localcloud.LocalCloudOptions;
import io.casefeed.localcloud.OutboxMessage;
import io.casefeed.localcloud.Scenario;
import io.casefeed.notifier.mime.MimeMessageBuilder;
import io.casefeed.notifier.testing.ParsedMail;
import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.NotificationRecord;
import io.casefeed.schema.SweepRecord;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.casefeed.schemas.registry.SchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the notifier's integration tests share: one local-cloud (SES in sandbox mode, example.com
 * verified, its schema registry) and the real broker of this JVM; helpers to play the streams app's
 * part by producing to a test's own prefixed topics, and to read the SES outbox.
 */
abstract class NotifierItSupport {

  static final String VERIFIED_DOMAIN = "example.com";
  static LocalCloud cloud;
  static SchemaRegistryClient registry;
  static KafkaProducer<byte[], byte[]> producer;

  @BeforeAll
  static void startCloud() {
    Scenario scenario = new Scenario(7L, 2, null, null, null, null, null, 0, 0, 0, null, 0.0, null, true,
        List.of(VERIFIED_DOMAIN), null);
    cloud = LocalCloud.start(LocalCloudOptions.builder().port(0).scenario(scenario).build());
    registry = new HttpSchemaRegistryClient(cloud.schemaRegistryUrl());
    producer = new KafkaProducer<>(Map.of("bootstrap.servers", KafkaFixture.bootstrapServers(), "acks", "all"),
        new ByteArraySerializer(), new ByteArraySerializer());
  }

  @AfterAll
  static void stopCloud() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    if (cloud != null) {
      cloud.close();
    }
  }

  /** Fresh prefixed topics for one test: few partitions, so the embedded broker stays light. */
  static String topics(String name) {
    String prefix = KafkaFixture.unique(name) + ".";
    KafkaFixture.createTopics(prefix, List.of(Topics.ACCOUNTS, Topics.SWEEPS, Topics.CASES, Topics.CASE_CHANGES,
        Topics.NOTIFICATIONS, Topics.DEAD_LETTER, io.casefeed.notifier.Notifier.RESENDS), 2);
    return prefix;
  }

  static Map<String, String> baseConfig(String prefix, String group, List<String> recipients) {
    Map<String, String> p = new HashMap<>();
    p.put("kafka.bootstrap.servers", KafkaFixture.bootstrapServers());
    p.put("schema.registry.url", cloud.schemaRegistryUrl());
    p.put("topic.prefix", prefix);
    p.put("topic.replication.factor", "1");
    p.put("topic.create", "false");
    p.put("notifier.group.id", prefix + "notifier");
    p.put("notifier.from", "casefeed@" + VERIFIED_DOMAIN);
    p.put("notifier.groups", group);
    p.put("notifier.group." + group + ".recipients", String.join(",", recipients));
    p.put("notifier.ses.endpoint", cloud.awsEndpoint().toString());
    p.put("notifier.ses.access.key.id", cloud.accessKeyId());
    p.put("notifier.ses.secret.access.key", cloud.secretAccessKey());
    p.put("notifier.ses.backoff.ms", "50");
    return p;
  }

  static void produce(String prefix, io.casefeed.schemas.TopicSpec spec, String key, org.apache.avro.specific.SpecificRecord value,
      Instant timestamp) {
    String topic = prefix + spec.name();
    byte[] bytes = serde(spec).serialize(topic, value);
    try {
      producer.send(new ProducerRecord<>(topic, null, timestamp.toEpochMilli(), key.getBytes(StandardCharsets.UTF_8), bytes))
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot produce to " + topic, e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static AvroSerde serde(io.casefeed.schemas.TopicSpec spec) {
    return new AvroSerde(spec.valueType(), registry);
  }

  static void account(String prefix, AccountRecord account) {
    produce(prefix, Topics.ACCOUNTS, account.getAccountId(), account, account.getUpdatedAt());
  }

  static void sweep(String prefix, SweepRecord sweep) {
    produce(prefix, Topics.SWEEPS, sweep.getAccountId(), sweep, sweep.getFinishedAt());
  }

  static void caseState(String prefix, CaseState state) {
    produce(prefix, Topics.CASES, CaseKeys.of(state.getAccountId(), state.getCaseDetails().getCaseId()), state,
        state.getLastChangedAt());
  }

  static void change(String prefix, CaseChange change) {
    produce(prefix, Topics.CASE_CHANGES, CaseKeys.of(change.getAccountId(), change.getCaseId()), change, change.getObservedAt());
  }

  /** The outbox's mails to {@code recipients}, parsed. */
  static List<ParsedMail> mailsTo(List<String> recipients) {
    List<ParsedMail> mails = new ArrayList<>();
    for (OutboxMessage message : cloud.outbox()) {
      if (message.to().stream().anyMatch(recipients::contains)) {
        mails.add(ParsedMail.parse(message.rawMime()));
      }
    }
    return mails;
  }

  static List<OutboxMessage> outboxTo(List<String> recipients) {
    return cloud.outbox().stream().filter(m -> m.to().stream().anyMatch(recipients::contains)).toList();
  }

  static String mailId(ParsedMail mail) {
    return mail.header(MimeMessageBuilder.MAIL_ID_HEADER);
  }

  static List<ConsumerRecord<byte[], byte[]>> deadLetters(String prefix) {
    return readAll(prefix + Topics.DEAD_LETTER.name());
  }

  /** Every record of the notifications topic, in order per partition. */
  static List<NotificationRecord> notifications(String prefix) {
    String topic = prefix + Topics.NOTIFICATIONS.name();
    AvroSerde<NotificationRecord> serde = new AvroSerde<>(NotificationRecord.class, registry);
    return readAll(topic).stream().map(r -> serde.deserialize(topic, r.value())).toList();
  }

  static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", KafkaFixture.bootstrapServers()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          records.add(record);
        }
      }
    }
    return records;
  }
}
