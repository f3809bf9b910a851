package io.casefeed.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code casefeed kafka} from the built jar, in its own JVM, used by a client casefeed did not write. */
class KafkaCommandIT {

  @TempDir Path work;

  @Test
  void aPythonClientUsesTheBrokerAndARestartKeepsTheTopics() throws Exception {
    Path dataDir = work.resolve("kafka");
    Path script = Path.of("src/test/resources/python/kafka_roundtrip.py").toAbsolutePath();

    Process first = Jar.start(work, "kafka", "--data-dir", dataDir.toString(), "--port", "0", "--partitions", "2");
    String bootstrap = Jar.awaitLine(first, "kafka: ");
    List<String> firstRun = python(script, bootstrap, "casefeed.case-changes", "written-before-restart");
    assertThat(firstRun).contains("read: written-before-restart", "topic: casefeed.case-changes", "topic: casefeed.cases");

    first.destroy(); // SIGTERM: the broker stops cleanly
    assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();

    Process second = Jar.start(work, "kafka", "--data-dir", dataDir.toString(), "--port", "0");
    try {
      String bootstrapAgain = Jar.awaitLine(second, "kafka: ");
      List<String> secondRun = python(script, bootstrapAgain, "casefeed.case-changes", "written-after-restart");
      assertThat(secondRun).contains("read: written-before-restart", "read: written-after-restart",
          "topic: casefeed.accounts", "topic: casefeed.dead-letter");
    } finally {
      second.destroy();
      second.waitFor(60, TimeUnit.SECONDS);
    }
  }

  static List<String> python(Path script, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      reader.lines().forEach(lines::add);
    }
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("python output: %s", lines).isZero();
    return lines;
  }
}
