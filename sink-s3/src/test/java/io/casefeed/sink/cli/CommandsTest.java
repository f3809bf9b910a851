package io.casefeed.sink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandsTest {

  @Test
  void sinkWithABadConfigNamesTheKeyAndExitsWith2(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("sink.properties");
    Files.writeString(config, "kafka.bootstrap.servers=127.0.0.1:9\nschema.registry.url=http://127.0.0.1:1\nhistory.formats=csv\n");
    Output output = run(new SinkCommand(), "--config", config.toString());
    assertThat(output.exitCode).isEqualTo(2);
    assertThat(output.err).startsWith("config error: ").contains("s3.bucket");

    Files.writeString(config, "kafka.bootstrap.servers=127.0.0.1:9\nschema.registry.url=http://127.0.0.1:1\ns3.bucket=b\nhistory.formats=csv\n");
    Output formats = run(new SinkCommand(), "--config", config.toString());
    assertThat(formats.exitCode).isEqualTo(2);
    assertThat(formats.err).contains("history.formats").contains("must include parquet");
  }

  @Test
  void athenaDdlPrintsTheTablesForTheGivenBucketPrefixAndDatabase() throws Exception {
    Output output = run(new AthenaDdlCommand(), "--bucket", "org-support", "--prefix", "/feeds/casefeed/", "--database", "support");
    assertThat(output.exitCode).isZero();
    assertThat(output.out).contains("CREATE DATABASE IF NOT EXISTS support;")
        .contains("LOCATION 's3://org-support/feeds/casefeed/case_changes/'")
        .contains("LOCATION 's3://org-support/feeds/casefeed/case_list/latest/'")
        .contains("CREATE OR REPLACE VIEW support.case_counts AS");
  }

  @Test
  void athenaDdlRefusesADatabaseNameAthenaWouldRefuse() throws Exception {
    Output output = run(new AthenaDdlCommand(), "--bucket", "b", "--database", "Bad-Name");
    assertThat(output.exitCode).isEqualTo(2);
    assertThat(output.err).contains("--database");
  }

  record Output(int exitCode, String out, String err) {}

  static synchronized Output run(Callable<Integer> command, String... args) throws Exception {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = new CommandLine(command).execute(args);
      return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }
}
