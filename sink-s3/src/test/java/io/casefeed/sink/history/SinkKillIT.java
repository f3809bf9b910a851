package io.casefeed.sink.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.schema.CaseChange;
import io.casefeed.schemas.Topics;
import io.casefeed.sink.testing.Feed;
import io.casefeed.sink.testing.History;
import io.casefeed.sink.testing.LocalS3;
import io.casefeed.sink.testing.SinkProcess;
import io.casefeed.sink.testing.SinkSettings;
import io.casefeed.localcloud.registry.SchemaRegistryServer;
import io.casefeed.sink.testing.Registry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** The sink in its own JVM, SIGKILLed mid-stream again and again: still every change exactly once. */
class SinkKillIT {

  private static final String BUCKET = "kill-it";
  private static final int EVENTS = 3000;

  @Test
  void killedAndRestartedSeveralTimesStillWritesEveryChangeExactlyOnce(@TempDir Path dir) throws Exception {
    try (LocalS3 s3 = LocalS3.start(BUCKET); SchemaRegistryServer registry = Registry.start(); S3Client client = s3.client()) {
      String prefix = KafkaFixture.unique("kill") + ".";
      KafkaFixture.createTopics(prefix, List.of(Topics.CASE_CHANGES, Topics.DEAD_LETTER), 3);
      List<CaseChange> sent = Feed.sendChanges(registry.url(), prefix + Topics.CASE_CHANGES.name(), EVENTS,
          Instant.parse("2026-11-25T12:00:00Z"), Duration.ofSeconds(10));
      Map<String, String> settings = SinkSettings.of(prefix, s3.endpoint(), BUCKET, registry.url());
      settings.put("snapshot.enabled", "false");
      settings.put("history.idle.flush.ms", "300");
      // Static membership: each restart takes the killed run's partitions back without a rebalance.
      settings.put("history.group.instance.id", "sink-under-test");

      Map<String, Long> endByKey = new HashMap<>();
      // Each run cuts its objects at another size, so a replay closes objects that collide with
      // objects of the killed run at other end offsets.
      int[] rotations = {25, 40, 15};
      for (int run = 0; run < rotations.length; run++) {
        settings.put("history.rotate.records", Integer.toString(rotations[run]));
        int before = History.ranges(client, BUCKET, "casefeed").size();
        Process sink = SinkProcess.start(settings, dir, "run-" + run);
        try {
          await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
              .until(() -> History.ranges(client, BUCKET, "casefeed").size() >= before + 5);
        } finally {
          sink.destroyForcibly();
          assertThat(sink.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertObjectsNeverRewritten(client, endByKey);
      }
      assertThat(History.ranges(client, BUCKET, "casefeed").stream().mapToLong(r -> r.end() - r.start() + 1).sum())
          .as("killed before the end").isLessThan(EVENTS);

      settings.put("history.rotate.records", "60");
      Process last = SinkProcess.start(settings, dir, "final");
      try {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
            .until(() -> History.ranges(client, BUCKET, "casefeed").stream().mapToLong(r -> r.end() - r.start() + 1).sum() >= EVENTS);
      } finally {
        last.destroyForcibly();
        last.waitFor(30, TimeUnit.SECONDS);
      }
      assertObjectsNeverRewritten(client, endByKey);

      List<History.ObjectRange> ranges = History.ranges(client, BUCKET, "casefeed");
      Map<Integer, List<History.ObjectRange>> byPartition = History.byPartition(ranges);
      assertThat(byPartition).hasSize(3);
      long total = 0;
      for (var partition : byPartition.entrySet()) {
        long count = partition.getValue().stream().mapToLong(r -> r.end() - r.start() + 1).sum();
        total += count;
        assertThat(History.coversContiguously(partition.getValue(), count))
            .as("partition %d: ranges %s", partition.getKey(), partition.getValue()).isTrue();
      }
      assertThat(total).isEqualTo(EVENTS);
      List<History.Row> rows = History.rows(client, BUCKET, "casefeed", dir);
      assertThat(rows).hasSize(EVENTS);
      assertThat(rows.stream().map(History.Row::eventId).collect(Collectors.toSet()))
          .isEqualTo(sent.stream().map(CaseChange::getEventId).collect(Collectors.toSet()));
    }
  }

  /** Every object seen before is still there with the same name and end offset. */
  private static void assertObjectsNeverRewritten(S3Client client, Map<String, Long> endByKey) {
    Map<String, Long> now = History.ranges(client, BUCKET, "casefeed").stream()
        .collect(Collectors.toMap(History.ObjectRange::key, History.ObjectRange::end));
    assertThat(now).containsAllEntriesOf(endByKey);
    endByKey.putAll(now);
  }
}
