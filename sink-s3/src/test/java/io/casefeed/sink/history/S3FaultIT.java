package io.casefeed.sink.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.schema.CaseChange;
import io.casefeed.schemas.Topics;
import io.casefeed.sink.S3Sink;
import io.casefeed.sink.config.SinkConfig;
import io.casefeed.sink.testing.Feed;
import io.casefeed.sink.testing.FaultyS3Proxy;
import io.casefeed.sink.testing.History;
import io.casefeed.sink.testing.LocalS3;
import io.casefeed.sink.testing.SinkSettings;
import io.casefeed.localcloud.registry.SchemaRegistryServer;
import io.casefeed.sink.testing.Registry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** S3 answers some PUTs with 503, drops connections before and after handling requests. */
class S3FaultIT {

  private static final String BUCKET = "fault-it";
  private static final int EVENTS = 800;

  @Test
  void eventuallyEveryChangeOnceAndCommittedOffsetsNeverAheadOfTheObjects(@TempDir Path dir) throws Exception {
    try (LocalS3 s3 = LocalS3.start(BUCKET); SchemaRegistryServer registry = Registry.start();
        FaultyS3Proxy faulty = new FaultyS3Proxy(s3.endpoint(), 42, 0.15, 0.05, 0.15); S3Client direct = s3.client()) {
      String prefix = KafkaFixture.unique("fault") + ".";
      KafkaFixture.createTopics(prefix, List.of(Topics.CASE_CHANGES, Topics.DEAD_LETTER), 2);
      List<CaseChange> sent = Feed.sendChanges(registry.url(), prefix + Topics.CASE_CHANGES.name(), EVENTS,
          Instant.parse("2026-11-25T12:00:00Z"), Duration.ofSeconds(30));
      Map<String, String> settings = SinkSettings.of(prefix, faulty.endpoint(), BUCKET, registry.url());
      settings.put("snapshot.enabled", "false");
      settings.put("history.rotate.records", "20");
      settings.put("s3.retry.max.attempts", "30");
      SinkConfig config = new SinkConfig(settings);

      List<String> violations = new ArrayList<>();
      try (S3Sink sink = S3Sink.create(config, Clock.systemUTC(), new SimpleMeterRegistry()).start()) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
          // Committed offsets first, then the objects: objects only ever get added, so every
          // offset below a committed one must already be covered.
          Map<Integer, Long> committed = committed(config.historyGroupId());
          Map<Integer, List<History.ObjectRange>> objects = History.byPartition(History.ranges(direct, BUCKET, "casefeed"));
          committed.forEach((partition, offset) -> {
            if (!History.coversContiguously(objects.getOrDefault(partition, List.of()), offset)) {
              violations.add("partition " + partition + " committed " + offset + " but objects are " + objects.get(partition));
            }
          });
          assertThat(sink.failure()).isNotDone();
          return committed.values().stream().mapToLong(Long::longValue).sum() >= EVENTS;
        });
      }

      assertThat(violations).isEmpty();
      assertThat(faulty.slowDowns.get()).isPositive();
      assertThat(faulty.droppedBefore.get()).isPositive();
      assertThat(faulty.droppedAfter.get()).isPositive();
      List<History.Row> rows = History.rows(direct, BUCKET, "casefeed", dir);
      assertThat(rows).hasSize(EVENTS);
      assertThat(rows.stream().map(History.Row::eventId).collect(Collectors.toSet()))
          .isEqualTo(sent.stream().map(CaseChange::getEventId).collect(Collectors.toSet()));
      Map<Integer, List<History.ObjectRange>> byPartition = History.byPartition(History.ranges(direct, BUCKET, "casefeed"));
      for (var partition : byPartition.values()) {
        long count = partition.stream().mapToLong(r -> r.end() - r.start() + 1).sum();
        assertThat(History.coversContiguously(partition, count)).as("ranges %s", partition).isTrue();
      }
    }
  }

  private static Map<Integer, Long> committed(String groupId) throws Exception {
    try (Admin admin = KafkaFixture.admin()) {
      Map<Integer, Long> result = new HashMap<>();
      admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
          .forEach((tp, offset) -> result.put(tp.partition(), offset.offset()));
      return result;
    }
  }
}
