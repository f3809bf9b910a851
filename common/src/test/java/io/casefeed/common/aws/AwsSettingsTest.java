package io.casefeed.common.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.casefeed.common.config.ConfigLoader;
import io.casefeed.common.config.RenamedKeys;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

class AwsSettingsTest {

  static final List<String> SERVICES = List.of("s3", "ses");
  static final ConfigDef DEFINITION = AwsSettings.define(new ConfigDef(), "us-east-1", SERVICES, List.of("ses"));
  static final RenamedKeys RENAMED = RenamedKeys.of(Map.of("s3.endpoint", AwsSettings.endpointOverrideKey("s3")));

  @TempDir Path dir;

  AwsSettings settings(Map<String, ?> values) {
    AbstractConfig config = new AbstractConfig(DEFINITION, values);
    return AwsSettings.from(config, config.getString(AwsSettings.REGION), SERVICES, List.of("ses"));
  }

  @Test
  void aServiceEndpointWinsOverTheCommonOneAndAServiceRegionOverTheCommonRegion() {
    AwsSettings aws = settings(Map.of(
        "aws.endpoint.override", "http://127.0.0.1:4566",
        "aws.s3.endpoint.override", "http://127.0.0.1:4567",
        "aws.ses.region", "eu-west-1"));

    assertThat(aws.endpointFor("s3")).isEqualTo(URI.create("http://127.0.0.1:4567"));
    assertThat(aws.endpointFor("ses")).isEqualTo(URI.create("http://127.0.0.1:4566"));
    assertThat(aws.regionFor("ses")).isEqualTo("eu-west-1");
    assertThat(aws.regionFor("s3")).isEqualTo("us-east-1");
  }

  @Test
  void aKeyIdWithoutItsSecretFailsNamingTheSecretsKey() {
    assertThatThrownBy(() -> settings(Map.of("aws.access.key.id", "AKIDEXAMPLE")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("aws.secret.access.key");
  }

  @Test
  void theFactorySetsEndpointRegionAndNoSdkRetriesOnAClient() {
    AwsSettings aws = settings(Map.of("aws.s3.endpoint.override", "http://127.0.0.1:4567", "aws.region", "eu-central-1",
        "aws.access.key.id", "a", "aws.secret.access.key", "b"));
    AwsClientFactory factory = AwsClientFactory.perClient(aws, Duration.ofSeconds(5));
    try (S3Client s3 = factory.configure("s3", S3Client.builder(), factory.credentials(), o -> o.apiCallTimeout(Duration.ofSeconds(7))).build()) {
      var configuration = s3.serviceClientConfiguration();
      assertThat(configuration.endpointOverride()).contains(URI.create("http://127.0.0.1:4567"));
      assertThat(configuration.region().id()).isEqualTo("eu-central-1");
      assertThat(configuration.overrideConfiguration().apiCallTimeout()).contains(Duration.ofSeconds(7));
      assertThat(configuration.overrideConfiguration().retryStrategy()).hasValueSatisfying(r -> assertThat(r.maxAttempts()).isEqualTo(1));
    }
  }

  @Test
  void anOldKeyIsReadAsItsNewNameFromTheFileTheEnvironmentAndTheCommandLine() throws Exception {
    Path file = dir.resolve("old.properties");
    Files.writeString(file, "s3.endpoint=http://file:1\n");
    Map<String, String> fromFile = ConfigLoader.load(DEFINITION, RENAMED, file, Map.of(), Map.of(), Set.of());
    Map<String, String> fromEnv = ConfigLoader.load(DEFINITION, RENAMED, null, Map.of("CASEFEED_S3_ENDPOINT", "http://env:2"), Map.of(), Set.of());
    Map<String, String> fromFlags = ConfigLoader.load(DEFINITION, RENAMED, null, Map.of(), Map.of("s3.endpoint", "http://flag:3"), Set.of());

    assertThat(settings(fromFile).endpointFor("s3")).isEqualTo(URI.create("http://file:1"));
    assertThat(settings(fromEnv).endpointFor("s3")).isEqualTo(URI.create("http://env:2"));
    assertThat(settings(fromFlags).endpointFor("s3")).isEqualTo(URI.create("http://flag:3"));
    assertThat(fromFlags).doesNotContainKey("s3.endpoint");
  }

  @Test
  void aLaterSourcesNewKeyWinsOverAnEarlierSourcesOldKey() throws Exception {
    Path file = dir.resolve("old.properties");
    Files.writeString(file, "s3.endpoint=http://file:1\n");
    Map<String, String> merged = ConfigLoader.load(DEFINITION, RENAMED, file,
        Map.of("CASEFEED_AWS_S3_ENDPOINT_OVERRIDE", "http://env:2"), Map.of(), Set.of());

    assertThat(settings(merged).endpointFor("s3")).isEqualTo(URI.create("http://env:2"));
  }

  @Test
  void oneSourceSettingTheOldAndTheNewNameDifferentlyFailsNamingBoth() throws Exception {
    Path file = dir.resolve("both.properties");
    Files.writeString(file, "s3.endpoint=http://a:1\naws.s3.endpoint.override=http://b:2\n");

    assertThatThrownBy(() -> ConfigLoader.load(DEFINITION, RENAMED, file, Map.of(), Map.of(), Set.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("s3.endpoint")
        .hasMessageContaining("aws.s3.endpoint.override");
  }
}
