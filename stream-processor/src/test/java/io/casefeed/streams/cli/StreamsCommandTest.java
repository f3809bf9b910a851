package io.casefeed.streams.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StreamsCommandTest {

  @TempDir Path dir;

  private int run(ByteArrayOutputStream stderr, String... args) {
    PrintStream original = System.err;
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    try {
      return new CommandLine(new StreamsCommand()).execute(args);
    } finally {
      System.setErr(original);
    }
  }

  @Test
  void aMissingRequiredKeyExitsWithTwoNamingIt() throws Exception {
    Path config = Files.writeString(dir.resolve("streams.properties"), "schema.registry.url=http://127.0.0.1:8085\n");
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    int exit = run(stderr, "--config", config.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(stderr.toString(StandardCharsets.UTF_8)).startsWith("config error: ").contains("kafka.bootstrap.servers");
  }

  @Test
  void aBadValueGivenWithSetExitsWithTwo() throws Exception {
    Path config = Files.writeString(dir.resolve("streams.properties"),
        "kafka.bootstrap.servers=127.0.0.1:9092\nschema.registry.url=http://127.0.0.1:8085\n");
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    int exit = run(stderr, "--config", config.toString(), "--set", "streams.num.threads=0");

    assertThat(exit).isEqualTo(2);
    assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("config error: ").contains("streams.num.threads");
  }

  @Test
  void aMissingConfigFileExitsWithTwo() {
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    assertThat(run(stderr, "--config", dir.resolve("absent.properties").toString())).isEqualTo(2);
    assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("does not exist");
  }
}
