package io.casefeed.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CollectorCommandTest {

  @TempDir Path dir;

  private int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cli = new CommandLine(new CollectorCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void badConfigurationPrintsTheKeyAndExitsWithTwo() throws Exception {
    Path config = dir.resolve("collector.properties");
    Files.writeString(config, """
        kafka.bootstrap.servers=127.0.0.1:9092
        schema.registry.url=http://127.0.0.1:8081
        accounts.static=123456789012
        poll.threads=0
        """);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertThat(run(out, err, "--config", config.toString(), "--once")).isEqualTo(2);
    assertThat(err.toString()).startsWith("config error: ").contains("poll.threads");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void missingConfigFileIsAConfigError() {
    StringWriter err = new StringWriter();
    assertThat(run(new StringWriter(), err, "--config", dir.resolve("absent.properties").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("config error: ").contains("does not exist");
  }

  @Test
  void noAccountSourceIsAConfigError() throws Exception {
    Path config = dir.resolve("collector.properties");
    Files.writeString(config, """
        kafka.bootstrap.servers=127.0.0.1:9092
        schema.registry.url=http://127.0.0.1:8081
        aws.access.key.id=test
        aws.secret.access.key=test
        """);
    StringWriter err = new StringWriter();
    assertThat(run(new StringWriter(), err, "--config", config.toString(), "--once")).isEqualTo(2);
    assertThat(err.toString()).contains("config error: ").contains("accounts.static");
  }
}
