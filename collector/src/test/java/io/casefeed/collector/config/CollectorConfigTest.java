package io.casefeed.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class CollectorConfigTest {

  private static Map<String, String> minimal() {
    Map<String, String> m = new HashMap<>();
    m.put("kafka.bootstrap.servers", "127.0.0.1:9092");
    m.put("schema.registry.url", "http://127.0.0.1:8081");
    return m;
  }

  @Test
  void defaultsFollowTheIssue() {
    CollectorConfig config = CollectorConfig.load(null, Map.of(), minimal());
    assertThat(config.roleName()).isEqualTo("GetSupportInfoRole");
    assertThat(config.roleSessionName()).isEqualTo("casefeed-collector");
    assertThat(config.languages()).containsExactly("en", "ja", "zh", "ko");
    assertThat(config.lookback().toDays()).isEqualTo(730);
    assertThat(config.awsRegion()).isEqualTo("us-east-1");
    assertThat(config.roleArn("123456789012")).isEqualTo("arn:aws:iam::123456789012:role/GetSupportInfoRole");
  }

  @Test
  void partitionChoosesArnPrefixAndSupportRegion() {
    Map<String, String> m = minimal();
    m.put("aws.partition", "aws-cn");
    m.put("role.name", "CaseReader");
    CollectorConfig config = CollectorConfig.load(null, Map.of(), m);
    assertThat(config.roleArn("123456789012")).isEqualTo("arn:aws-cn:iam::123456789012:role/CaseReader");
    assertThat(config.awsRegion()).isEqualTo("cn-north-1");
  }

  @Test
  void environmentVariablesSetKeys() {
    CollectorConfig config = CollectorConfig.load(null, Map.of("CASEFEED_POLL_THREADS", "7"), minimal());
    assertThat(config.pollThreads()).isEqualTo(7);
  }

  @Test
  void badValuesFailNamingTheKey() {
    Map<String, String> badAccount = minimal();
    badAccount.put("accounts.static", "123456789012,12345");
    assertThatThrownBy(() -> CollectorConfig.load(null, Map.of(), badAccount))
        .isInstanceOf(ConfigException.class).hasMessageContaining("accounts.static").hasMessageContaining("12345");

    Map<String, String> badUri = minimal();
    badUri.put("accounts.s3.uri", "https://bucket/key");
    assertThatThrownBy(() -> CollectorConfig.load(null, Map.of(), badUri))
        .isInstanceOf(ConfigException.class).hasMessageContaining("accounts.s3.uri");

    Map<String, String> badRetry = minimal();
    badRetry.put("retry.base.ms", "5000");
    badRetry.put("retry.max.ms", "100");
    assertThatThrownBy(() -> CollectorConfig.load(null, Map.of(), badRetry))
        .isInstanceOf(ConfigException.class).hasMessageContaining("retry.max.ms");

    Map<String, String> keyWithoutSecret = minimal();
    keyWithoutSecret.put("aws.access.key.id", "AKIAEXAMPLE");
    assertThatThrownBy(() -> CollectorConfig.load(null, Map.of(), keyWithoutSecret))
        .isInstanceOf(ConfigException.class).hasMessageContaining("aws.secret.access.key");

    assertThatThrownBy(() -> CollectorConfig.load(null, Map.of(), Map.of("schema.registry.url", "http://x:1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.bootstrap.servers");
  }

  @Test
  void externalIdIsAPasswordNeverPrinted() {
    Map<String, String> m = minimal();
    m.put("role.external.id", "s3cret-external");
    CollectorConfig config = CollectorConfig.load(null, Map.of(), m);
    assertThat(config.roleExternalId()).isEqualTo("s3cret-external");
    assertThat(config.values().toString()).doesNotContain("s3cret-external");
  }
}
