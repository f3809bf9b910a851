package io.casefeed.app;

import io.casefeed.common.component.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CasefeedCliTest {

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    CommandLine commandLine = Casefeed.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void helpListsTheSubcommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("Usage: casefeed");
    for (String subcommand : new String[] {"demo", "collector", "streams", "sink", "notifier", "local-cloud", "kafka",
        "athena-ddl", "query", "tail", "dlq", "check", "bench"}) {
      assertThat(out.toString()).as(subcommand).containsPattern("(?m)^  " + subcommand + "\\s");
    }
  }

  @Test
  void benchKeepsEveryBenchmarkAndTheSoakKeepsItsOptionsFromTheBenchModule() {
    assertThat(run("bench", "--help")).isZero();
    for (String benchmark : new String[] {"sweep", "streams", "sink", "soak"}) {
      assertThat(out.toString()).as(benchmark).containsPattern("(?m)^  " + benchmark + "\\s");
    }
    out.getBuffer().setLength(0);
    assertThat(run("bench", "soak", "--help")).isZero();
    assertThat(out.toString()).contains("Usage: casefeed bench soak").contains("--minutes").contains("--accounts")
        .contains("end-to-end latency");
  }

  @Test
  void versionNamesCasefeedAndKafka() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).contains("casefeed ").contains("Kafka clients 4.4.0");
  }

  @Test
  void anUnknownOptionExitsWithUsageErrorNamingIt() {
    assertThat(run("--bogus")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("Unknown option: '--bogus'");
  }

  @Test
  void anInvalidOptionValueExitsWithUsageErrorNamingIt() {
    assertThat(run("kafka", "--port", "not-a-port")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--port").contains("not-a-port");
  }

  @Test
  void anOutOfRangePortIsRefusedBeforeAnythingStarts() {
    assertThat(run("kafka", "--port", "70000")).isEqualTo(ExitCodes.USAGE);
  }
}
