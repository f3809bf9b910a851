package io.casefeed.sink.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.schema.CaseChange;
import io.casefeed.schemas.DeadLetters;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.casefeed.sink.S3Sink;
import io.casefeed.sink.config.SinkConfig;
import io.casefeed.sink.query.LocalQuery;
import io.casefeed.sink.store.S3ObjectStore;
import io.casefeed.sink.store.StoreAccessException;
import io.casefeed.sink.testing.Feed;
import io.casefeed.sink.testing.History;
import io.casefeed.sink.testing.LocalS3;
import io.casefeed.sink.testing.SinkSettings;
import io.casefeed.localcloud.registry.SchemaRegistryServer;
import io.casefeed.sink.testing.Registry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

class ChangeHistoryIT {

  private static final String BUCKET = "history-it";
  private static LocalS3 s3;
  private static SchemaRegistryServer registry;

  @BeforeAll
  static void start() throws Exception {
    s3 = LocalS3.start(BUCKET);
    registry = Registry.start();
  }

  @AfterAll
  static void stop() throws Exception {
    registry.close();
    s3.close();
  }

  @Test
  void everyChangeLandsExactlyOnceReadBackWithParquetAvroAndDuckDb(@TempDir Path scratch) throws Exception {
    String prefix = KafkaFixture.unique("history") + ".";
    KafkaFixture.createTopics(prefix, List.of(Topics.CASE_CHANGES, Topics.DEAD_LETTER), 3);
    String topic = prefix + Topics.CASE_CHANGES.name();
    // 600 events a minute apart from 22:00 UTC: they cross a UTC day boundary.
    List<CaseChange> sent = Feed.sendChanges(registry.url(), topic, 600, Instant.parse("2026-11-25T22:00:00Z"), Duration.ofMinutes(1));
    try (KafkaProducer<byte[], byte[]> producer = Feed.producer()) {
      producer.send(new ProducerRecord<>(topic, 0, "bad".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 99, 1})).get();
    }
    Map<String, String> settings = SinkSettings.of(prefix, s3.endpoint(), BUCKET, registry.url());
    settings.put("history.rotate.records", "70");
    settings.put("history.formats", "parquet,csv");
    settings.put("snapshot.enabled", "false");
    SinkConfig config = new SinkConfig(settings);

    try (S3Sink sink = S3Sink.create(config, Clock.systemUTC(), new SimpleMeterRegistry()).start(); S3Client client = s3.client()) {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
          .until(() -> History.ranges(client, BUCKET, "casefeed").stream().mapToLong(r -> r.end() - r.start() + 1).sum() >= 600);

      List<History.Row> rows = History.rows(client, BUCKET, "casefeed", scratch);
      assertThat(rows).hasSize(600);
      assertThat(rows.stream().map(History.Row::eventId).collect(Collectors.toSet()))
          .isEqualTo(sent.stream().map(CaseChange::getEventId).collect(Collectors.toSet()));
      Map<String, String> subjects = sent.stream().collect(Collectors.toMap(CaseChange::getEventId, c -> c.getCurrent().getSubject()));
      assertThat(rows).allSatisfy(row -> assertThat(row.subject()).isEqualTo(subjects.get(row.eventId())));
      assertThat(rows.stream().map(History.Row::key).filter(k -> k.contains("/dt=2026-11-25/")).count()).isPositive();
      assertThat(rows.stream().map(History.Row::key).filter(k -> k.contains("/dt=2026-11-26/")).count()).isPositive();
      List<History.ObjectRange> ranges = History.ranges(client, BUCKET, "casefeed");
      assertThat(ranges).allSatisfy(r -> assertThat(r.key()).contains("/" + topic + "+" + r.partition() + "+"));
      assertThat(client.listObjectsV2(b -> b.bucket(BUCKET).prefix(HistoryKeys.csvRoot("casefeed"))).keyCount())
          .isEqualTo(ranges.size());

      LocalQuery query = new LocalQuery(new S3ObjectStore(client, BUCKET, config.retryPolicy(), Long.MAX_VALUE, Integer.MAX_VALUE,
          new SimpleMeterRegistry()), "casefeed", scratch.resolve("cache"));
      query.sync();
      LocalQuery.Result counted = query.run(
          "SELECT count(*), count(DISTINCT event_id), count(DISTINCT kafka_partition || ':' || kafka_offset), count(DISTINCT dt) FROM case_changes");
      assertThat(counted.rows().get(0)).containsExactly(600L, 600L, 600L, 2L);
      LocalQuery.Result subjectOfOne = query.run("SELECT subject, status, account_id FROM case_changes WHERE event_id = 'event-7'");
      CaseChange seventh = sent.get(7);
      assertThat(subjectOfOne.rows()).containsExactly(List.of(seventh.getCurrent().getSubject(), seventh.getCurrent().getStatus(),
          seventh.getAccountId()));

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(committed(config.historyGroupId()).values().stream()
          .mapToLong(Long::longValue).sum()).isEqualTo(601));
      ConsumerRecord<byte[], byte[]> letter = deadLetters(prefix + Topics.DEAD_LETTER.name());
      assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("bad");
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.REASON)).startsWith("cannot convert to a history row");
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(topic);
    }
  }

  @Test
  void aMissingBucketStopsTheSinkWithAClearErrorAndCommitsNothing() throws Exception {
    String prefix = KafkaFixture.unique("nobucket") + ".";
    KafkaFixture.createTopics(prefix, List.of(Topics.CASE_CHANGES, Topics.DEAD_LETTER), 1);
    Feed.sendChanges(registry.url(), prefix + Topics.CASE_CHANGES.name(), 5, Instant.parse("2026-11-26T10:00:00Z"), Duration.ofMinutes(1));
    Map<String, String> settings = SinkSettings.of(prefix, s3.endpoint(), "no-such-bucket", registry.url());
    SinkConfig config = new SinkConfig(settings);

    try (S3Sink sink = S3Sink.create(config, Clock.systemUTC(), new SimpleMeterRegistry())) {
      org.assertj.core.api.Assertions.assertThatThrownBy(sink::start)
          .isInstanceOf(StoreAccessException.class).hasMessageContaining("no-such-bucket").hasMessageContaining("NoSuchBucket");
    }
    assertThat(committed(config.historyGroupId())).isEmpty();
  }

  private static Map<Integer, Long> committed(String groupId) throws Exception {
    try (Admin admin = KafkaFixture.admin()) {
      Map<Integer, Long> result = new HashMap<>();
      admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
          .forEach((tp, offset) -> result.put(tp.partition(), offset.offset()));
      return result;
    }
  }

  private static ConsumerRecord<byte[], byte[]> deadLetters(String topic) {
    Map<String, Object> settings = new HashMap<>();
    settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers());
    settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings)) {
      var partitions = consumer.partitionsFor(topic).stream().map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          return record;
        }
      }
    }
    throw new AssertionError("no dead letter in " + topic + " within 30 s");
  }
}
