package io.casefeed.notifier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class NotifierCommandTest {

  @TempDir
  Path dir;

  private String runExpectingConfigError(String properties) throws Exception {
    Path config = dir.resolve("notifier.properties");
    Files.writeString(config, properties);
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      int exit = new CommandLine(new NotifierCommand()).execute("--config", config.toString());
      assertThat(exit).isEqualTo(2);
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  private static final String BASE = """
      kafka.bootstrap.servers=127.0.0.1:9
      schema.registry.url=http://127.0.0.1:9
      notifier.from=casefeed@example.com
      notifier.groups=ops
      """;

  @Test
  void aGroupWithoutRecipientsStopsTheStartWithExitCode2NamingTheKey() throws Exception {
    assertThat(runExpectingConfigError(BASE))
        .contains("config error: ").contains("notifier.group.ops.recipients").contains("no recipients");
  }

  @Test
  void aBadScheduleStopsTheStartNamingTheKey() throws Exception {
    assertThat(runExpectingConfigError(BASE + "notifier.group.ops.recipients=a@example.com\nnotifier.digest.schedule=at eight\n"))
        .contains("config error: ").contains("notifier.digest.schedule");
  }

  @Test
  void aMissingFileIsAConfigErrorToo() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertThat(new CommandLine(new NotifierCommand()).execute("--config", dir.resolve("absent.properties").toString())).isEqualTo(2);
    } finally {
      System.setErr(original);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("config error: ").contains("does not exist");
  }
}
