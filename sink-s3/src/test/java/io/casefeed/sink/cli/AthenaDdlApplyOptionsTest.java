package io.casefeed.sink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** athena-ddl's bad settings fail before anything reaches Athena, naming the key and the reason. */
class AthenaDdlApplyOptionsTest {

  @Test
  void anOutputLocationThatIsNotAnS3UriIsRefusedNamingTheKey() throws Exception {
    CommandsTest.Output output = CommandsTest.run(new AthenaDdlCommand(), "--bucket", "b", "--apply",
        "--output-location", "https://example.com/results");
    assertThat(output.exitCode()).isEqualTo(2);
    assertThat(output.err()).startsWith("config error: ").contains("athena.output.location").contains("s3://bucket/folder/");
    assertThat(output.out()).isEmpty();
  }

  @Test
  void aBadEndpointInTheSinksConfigIsRefusedNamingTheKey(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("sink.properties");
    Files.writeString(config, "kafka.bootstrap.servers=127.0.0.1:9\nschema.registry.url=http://127.0.0.1:1\ns3.bucket=b\n"
        + "aws.athena.endpoint.override=not a url\n");
    CommandsTest.Output output = CommandsTest.run(new AthenaDdlCommand(), "--config", config.toString(), "--apply");
    assertThat(output.exitCode()).isEqualTo(2);
    assertThat(output.err()).startsWith("config error: ").contains("aws.athena.endpoint.override");
  }

  @Test
  void withoutABucketNothingIsPrinted() throws Exception {
    CommandsTest.Output output = CommandsTest.run(new AthenaDdlCommand(), "--database", "d");
    assertThat(output.exitCode()).isEqualTo(2);
    assertThat(output.err()).contains("--bucket");
    assertThat(output.out()).isEmpty();
  }

  @Test
  void theConfigsBucketAndPrefixAreUsedWhenPrinting(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("sink.properties");
    Files.writeString(config, "kafka.bootstrap.servers=127.0.0.1:9\nschema.registry.url=http://127.0.0.1:1\n"
        + "s3.bucket=from-config\ns3.prefix=feeds/cf\n");
    CommandsTest.Output output = CommandsTest.run(new AthenaDdlCommand(), "--config", config.toString());
    assertThat(output.exitCode()).isZero();
    assertThat(output.out()).contains("LOCATION 's3://from-config/feeds/cf/case_list/latest/'");
  }
}
