package io.casefeed.common.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** A missing Kafka secret fails at start naming the key, and never echoes what it does hold. */
class KafkaSecuritySettingsTest {

  private static final ConfigDef DEFINITION = CommonConfig.define(new ConfigDef());
  private static final String SCRAM_JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"casefeed\" password=\"s3cr3t-value\";";

  @Test
  void saslWithoutJaasConfigFailsNamingIt() {
    assertThatThrownBy(() -> load(Map.of("kafka.security.protocol", "SASL_SSL", "kafka.sasl.mechanism", "SCRAM-SHA-512")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.sasl.jaas.config")
        .hasMessageContaining("SCRAM-SHA-512");
  }

  @Test
  void aPasswordMechanismWithoutAPasswordFailsWithoutEchoingTheValue() {
    String noPassword = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"api-key-123\";";
    assertThatThrownBy(() -> load(Map.of("kafka.security.protocol", "SASL_SSL", "kafka.sasl.mechanism", "PLAIN",
        "kafka.sasl.jaas.config", noPassword)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.sasl.jaas.config")
        .hasMessageNotContaining("api-key-123");
  }

  @Test
  void aSecretFromAnUnsetEnvironmentVariableFailsNamingTheKeyAndTheVariable() {
    Map<String, Object> originals = new HashMap<>(Map.of(
        "config.providers", "env",
        "config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
        "kafka.security.protocol", "SASL_SSL", "kafka.sasl.mechanism", "PLAIN",
        "kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"key\" password=\"${env:CASEFEED_TEST_UNSET_SECRET_9F2C}\";"));
    originals.put(CommonConfig.BOOTSTRAP_SERVERS, "broker:9092");
    originals.put(CommonConfig.SCHEMA_REGISTRY_URL, "http://registry:8081");

    assertThatThrownBy(() -> new CommonConfig(DEFINITION, originals))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.sasl.jaas.config")
        .hasMessageContaining("${env:CASEFEED_TEST_UNSET_SECRET_9F2C}");
  }

  @Test
  void anUnknownSecurityProtocolFailsNamingIt() {
    assertThatThrownBy(() -> load(Map.of("kafka.security.protocol", "TLS")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.security.protocol");
  }

  @Test
  void aKeystoreWithoutItsPasswordFailsNamingThePasswordKey() {
    assertThatThrownBy(() -> load(Map.of("kafka.security.protocol", "SSL", "kafka.ssl.keystore.location", "/etc/kafka/client.p12")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.ssl.keystore.password");
  }

  @Test
  void completeSettingsForScramMskIamAndPlaintextAreAccepted() {
    assertThatCode(() -> load(Map.of("kafka.security.protocol", "sasl_ssl", "kafka.sasl.mechanism", "SCRAM-SHA-512",
        "kafka.sasl.jaas.config", SCRAM_JAAS))).doesNotThrowAnyException();
    assertThatCode(() -> load(Map.of("kafka.security.protocol", "SASL_SSL", "kafka.sasl.mechanism", "AWS_MSK_IAM",
        "kafka.sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;"))).doesNotThrowAnyException();
    assertThatCode(() -> load(Map.of())).doesNotThrowAnyException();
  }

  private static CommonConfig load(Map<String, String> kafkaSettings) {
    Map<String, Object> originals = new HashMap<>(kafkaSettings);
    originals.put(CommonConfig.BOOTSTRAP_SERVERS, "broker:9092");
    originals.put(CommonConfig.SCHEMA_REGISTRY_URL, "http://registry:8081");
    return new CommonConfig(DEFINITION, originals);
  }
}
