package io.casefeed.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  static final ConfigDef DEFINITION = CommonConfig.define(new ConfigDef())
      .define("poll.threads", ConfigDef.Type.INT, 8, ConfigDef.Range.between(1, 256), ConfigDef.Importance.MEDIUM, "threads");

  @TempDir Path dir;

  CommonConfig load(String fileText, Map<String, String> env, Map<String, String> overrides) throws Exception {
    Path file = dir.resolve("casefeed.properties");
    Files.writeString(file, fileText);
    return new CommonConfig(DEFINITION, ConfigLoader.load(DEFINITION, file, env, overrides, Set.of("kafka.")));
  }

  @Test
  void environmentOverridesTheFileAndFlagsOverrideBoth() throws Exception {
    CommonConfig config = load("""
        kafka.bootstrap.servers=file:9092
        schema.registry.url=http://file:8081
        poll.threads=4
        """,
        Map.of("CASEFEED_KAFKA_BOOTSTRAP_SERVERS", "env:9092", "CASEFEED_POLL_THREADS", "6"),
        Map.of("poll.threads", "7"));

    assertThat(config.kafkaClientSettings()).containsEntry("bootstrap.servers", "env:9092");
    assertThat(config.getInt("poll.threads")).isEqualTo(7);
    assertThat(config.schemaRegistryUrl()).isEqualTo("http://file:8081");
  }

  @Test
  void kafkaPrefixedKeysPassThroughToTheClients() throws Exception {
    CommonConfig config = load("""
        kafka.bootstrap.servers=b:9092
        kafka.security.protocol=SASL_SSL
        kafka.sasl.mechanism=SCRAM-SHA-512
        kafka.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="p";
        schema.registry.url=http://r:8081
        """, Map.of(), Map.of());

    assertThat(config.kafkaClientSettings())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("bootstrap.servers", "b:9092");
  }

  @Test
  void aWrongTypeFailsNamingTheKeyAndTheReason() {
    assertThatThrownBy(() -> load("""
        kafka.bootstrap.servers=b:9092
        schema.registry.url=http://r:8081
        poll.threads=many
        """, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("poll.threads").hasMessageContaining("many");
  }

  @Test
  void anOutOfRangeValueFailsNamingTheKey() {
    assertThatThrownBy(() -> load("""
        kafka.bootstrap.servers=b:9092
        schema.registry.url=http://r:8081
        poll.threads=0
        """, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("poll.threads").hasMessageContaining("at least 1");
  }

  @Test
  void aMissingRequiredKeyFailsNamingIt() {
    assertThatThrownBy(() -> load("schema.registry.url=http://r:8081\n", Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.bootstrap.servers");
  }

  @Test
  void aRegistryUrlThatIsNotHttpIsRejected() {
    assertThatThrownBy(() -> load("kafka.bootstrap.servers=b:9092\nschema.registry.url=ftp://r\n", Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url").hasMessageContaining("http");
  }

  @Test
  void aMissingFileIsReportedWithItsPath() {
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(() -> ConfigLoader.load(DEFINITION, missing, Map.of(), Map.of(), Set.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining(missing.toString());
  }

  @Test
  void secretsAreHiddenWhenTheConfigIsPrinted() throws Exception {
    CommonConfig config = load("""
        kafka.bootstrap.servers=b:9092
        schema.registry.url=http://r:8081
        schema.registry.basic.auth.user.info=key:s3cr3t-value
        """, Map.of(), Map.of());

    assertThat(config.schemaRegistryUserInfo().value()).isEqualTo("key:s3cr3t-value");
    assertThat(config.values().toString()).doesNotContain("s3cr3t-value");
  }

  @Test
  void unknownKeysAreWarnedAboutByNameButDoNotStopTheApp() throws Exception {
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ConfigLoader.class);
    var appender = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    appender.start();
    logger.addAppender(appender);
    try {
      CommonConfig config = load("""
          kafka.bootstrap.servers=b:9092
          schema.registry.url=http://r:8081
          poll.treads=4
          kafka.linger.ms=5
          config.providers=env
          """, Map.of(), Map.of());

      assertThat(config.getInt("poll.threads")).isEqualTo(8);
      assertThat(appender.list).singleElement().satisfies(event -> {
        assertThat(event.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
        assertThat(event.getFormattedMessage()).contains("poll.treads").doesNotContain("kafka.linger.ms").doesNotContain("config.providers");
      });
    } finally {
      logger.detachAppender(appender);
    }
  }

  @Test
  void envNamesAreTheKeyUpperCasedWithUnderscores() {
    assertThat(ConfigLoader.envName("kafka.bootstrap.servers")).isEqualTo("CASEFEED_KAFKA_BOOTSTRAP_SERVERS");
    assertThat(ConfigLoader.envName("poll.fast-interval.ms")).isEqualTo("CASEFEED_POLL_FAST_INTERVAL_MS");
  }
}
