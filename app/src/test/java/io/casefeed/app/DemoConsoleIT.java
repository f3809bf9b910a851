package io.casefeed.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a newcomer's terminal shows during {@code casefeed demo}, run from the jar in its own JVM: the endpoints and
 * a status, no log lines, no stack traces; the log folder has the log.
 */
class DemoConsoleIT {

  @TempDir
  Path work;

  @Test
  void theConsoleShowsEndpointsAndStatusAndTheLogGoesToTheDataFolder() throws Exception {
    Path data = work.resolve("data");
    Process demo = Jar.start(work, "demo", "--data-dir", data.toString(), "--accounts", "3", "--speed", "120",
        "--http-port", "0", "--kafka-port", "0", "--aws-port", "0");
    try {
      assertThat(Jar.awaitLine(demo, "dashboard:")).startsWith("http://127.0.0.1:");
      assertThat(Jar.awaitLine(demo, "log:")).startsWith(data.resolve("logs").resolve("casefeed.log").toAbsolutePath().toString());
      Jar.awaitLine(demo, "first data on the dashboard after");
      String status = Jar.awaitLine(demo, "status:");
      assertThat(status).matches("accounts read \\d+, cases [1-9]\\d* \\(\\d+ open\\), changes [\\d.]+/s, mails sent \\d+, lag -?\\d+");
      // SIGTERM through the handle: Process.destroy() would also close our end of its stdout.
      demo.toHandle().destroy();
      assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("demo stops on SIGTERM").isTrue();
      Jar.awaitEndOfOutput(demo);
      assertThat(Jar.printed(demo)).last().asString().startsWith("stopping (data kept in " + data.toAbsolutePath());
    } finally {
      demo.destroy();
      assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("demo stops on SIGTERM").isTrue();
    }

    List<String> stdout = Jar.printed(demo);
    assertThat(stdout).noneMatch(line -> line.contains(" WARN ") || line.contains(" ERROR ") || line.contains(" INFO ")
        || line.contains("Exception") || line.startsWith("\tat "));
    String stderr;
    try (Stream<Path> files = Files.list(work)) {
      Path file = files.filter(f -> f.getFileName().toString().startsWith("stderr-")).findFirst().orElseThrow();
      stderr = Files.readString(file);
    }
    assertThat(stderr).as("nothing logged to the terminal").doesNotContain(" WARN ", " ERROR ", " INFO ", "Exception");

    String log = Files.readString(data.resolve("logs").resolve("casefeed.log"));
    assertThat(log).contains(" INFO ").contains("io.casefeed");
  }
}
