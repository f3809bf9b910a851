package io.casefeed.collector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.localcloud.LocalCloud;
import io.casefeed.localcloud.SimulatedAccount;
import io.casefeed.schema.SweepRecord;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two collector JVMs share 50 accounts through the consumer group; one is killed (SIGKILL) and the
 * other takes its accounts over.
 */
class ScaleOutIT {

  @TempDir Path dir;

  @Test
  void twoInstancesSplitTheAccountsNeverPollOneTogetherAndTheSurvivorTakesOverAfterAKill() throws Exception {
    try (LocalCloud cloud = CollectorFixture.start(CollectorFixture.frozen(50, 2, 5, 20))) {
      cloud.simulation().faults().clear();
      List<String> accounts = cloud.simulation().accounts().stream().map(SimulatedAccount::id).toList();
      String prefix = KafkaFixture.unique("scale") + ".";
      Map<String, String> settings = CollectorFixture.settings(cloud, prefix);
      settings.put("accounts.static", String.join(",", accounts));
      settings.put("poll.fast.interval.ms", "3000");
      settings.put("poll.threads", "8");
      settings.put("kafka.session.timeout.ms", "6000");
      settings.put("kafka.heartbeat.interval.ms", "1000");
      String sweeps = prefix + "casefeed.sweeps";

      Process a = startCollector(settings, "collector-a");
      Process b = null;
      try {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
            .until(() -> pollers(CollectorFixture.readAll(cloud, sweeps, SweepRecord.class), Instant.EPOCH).containsKey("collector-a"));
        b = startCollector(settings, "collector-b");

        // Settled: over the last interval each instance polled a share, the shares are disjoint and cover all.
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
          Map<String, Set<String>> recent = pollers(CollectorFixture.readAll(cloud, sweeps, SweepRecord.class),
              Instant.now().minusSeconds(8));
          assertThat(recent).containsOnlyKeys("collector-a", "collector-b");
          Set<String> both = new HashSet<>(recent.get("collector-a"));
          both.retainAll(recent.get("collector-b"));
          assertThat(both).isEmpty();
          Set<String> union = new HashSet<>(recent.get("collector-a"));
          union.addAll(recent.get("collector-b"));
          assertThat(union).containsExactlyInAnyOrderElementsOf(accounts);
        });

        a.destroyForcibly().waitFor();
        Instant killed = Instant.now();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
            assertThat(pollers(CollectorFixture.readAll(cloud, sweeps, SweepRecord.class), killed).get("collector-b"))
                .containsExactlyInAnyOrderElementsOf(accounts));

        // Over the whole run, no account was ever polled by both instances at the same time.
        List<SweepRecord> all = CollectorFixture.readAll(cloud, sweeps, SweepRecord.class).stream().map(ConsumerRecord::value).toList();
        Map<String, List<SweepRecord>> byAccount = all.stream().collect(Collectors.groupingBy(SweepRecord::getAccountId));
        for (List<SweepRecord> polls : byAccount.values()) {
          for (SweepRecord x : polls) {
            for (SweepRecord y : polls) {
              if (!x.getCollectorId().equals(y.getCollectorId())) {
                boolean overlap = x.getStartedAt().isBefore(y.getFinishedAt()) && y.getStartedAt().isBefore(x.getFinishedAt());
                assertThat(overlap).as("%s polled by both %s and %s at once", x.getAccountId(), x.getCollectorId(),
                    y.getCollectorId()).isFalse();
              }
            }
          }
        }
      } finally {
        a.destroyForcibly();
        if (b != null) {
          b.destroy();
          if (!b.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            b.destroyForcibly();
          }
        }
      }
    }
  }

  /** Accounts each collector polled, among the polls that started after {@code since}. */
  private static Map<String, Set<String>> pollers(List<ConsumerRecord<String, SweepRecord>> records, Instant since) {
    Map<String, Set<String>> byCollector = new HashMap<>();
    for (ConsumerRecord<String, SweepRecord> r : records) {
      if (r.value().getStartedAt().isAfter(since)) {
        byCollector.computeIfAbsent(r.value().getCollectorId(), c -> new HashSet<>()).add(r.value().getAccountId());
      }
    }
    return byCollector;
  }

  private Process startCollector(Map<String, String> settings, String id) throws IOException {
    Properties properties = new Properties();
    properties.putAll(settings);
    properties.put("collector.id", id);
    Path config = dir.resolve(id + ".properties");
    try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
      properties.store(w, id);
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-Duser.timezone=UTC", "-cp", System.getProperty("java.class.path"),
        "io.casefeed.collector.cli.CollectorCommand", "--config", config.toString()));
    return new ProcessBuilder(command)
        .redirectOutput(dir.resolve(id + ".out").toFile())
        .redirectError(dir.resolve(id + ".err").toFile())
        .start();
  }
}
