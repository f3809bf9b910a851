package io.casefeed.streams.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class StreamProcessorConfigTest {

  private static Map<String, String> minimal() {
    Map<String, String> settings = new HashMap<>();
    settings.put("kafka.bootstrap.servers", "127.0.0.1:9092");
    settings.put("schema.registry.url", "http://127.0.0.1:8085");
    return settings;
  }

  @Test
  void defaultsAreExactlyOnceOnLoopback() {
    StreamProcessorConfig config = StreamProcessorConfig.load(null, Map.of(), minimal());

    assertThat(config.processingGuarantee()).isEqualTo("exactly_once_v2");
    assertThat(config.queryBindAddress()).isEqualTo("127.0.0.1");
    assertThat(config.queryToken()).isNull();
    assertThat(config.applicationId()).isEqualTo("casefeed-streams");
  }

  @Test
  void environmentVariablesOverrideDefaults() {
    StreamProcessorConfig config = StreamProcessorConfig.load(null, Map.of("CASEFEED_STREAMS_APPLICATION_ID", "from-env"), minimal());

    assertThat(config.applicationId()).isEqualTo("from-env");
  }

  @Test
  void anUnknownProcessingGuaranteeNamesTheKey() {
    Map<String, String> settings = minimal();
    settings.put(StreamProcessorConfig.PROCESSING_GUARANTEE, "exactly_once");

    assertThatThrownBy(() -> StreamProcessorConfig.load(null, Map.of(), settings))
        .isInstanceOf(ConfigException.class).hasMessageContaining(StreamProcessorConfig.PROCESSING_GUARANTEE);
  }

  @Test
  void aNonLoopbackQueryAddressNeedsAToken() {
    Map<String, String> settings = minimal();
    settings.put(StreamProcessorConfig.QUERY_BIND_ADDRESS, "0.0.0.0");

    assertThatThrownBy(() -> StreamProcessorConfig.load(null, Map.of(), settings))
        .isInstanceOf(ConfigException.class).hasMessageContaining(StreamProcessorConfig.QUERY_TOKEN);

    settings.put(StreamProcessorConfig.QUERY_TOKEN, "casefeed-demo-token");
    assertThat(StreamProcessorConfig.load(null, Map.of(), settings).queryToken()).isEqualTo("casefeed-demo-token");
  }

  @Test
  void aShortTokenFailsAtStartWithTheKeyAndTheReason() {
    Map<String, String> settings = minimal();
    settings.put(StreamProcessorConfig.QUERY_TOKEN, "x");

    assertThatThrownBy(() -> StreamProcessorConfig.load(null, Map.of(), settings))
        .isInstanceOf(ConfigException.class).hasMessageContaining(StreamProcessorConfig.QUERY_TOKEN)
        .hasMessageContaining("at least 16 characters").hasMessageNotContaining("\"x\"");
  }

  @Test
  void applicationServerMustBeHostAndPort() {
    Map<String, String> settings = minimal();
    settings.put(StreamProcessorConfig.APPLICATION_SERVER, "localhost");

    assertThatThrownBy(() -> StreamProcessorConfig.load(null, Map.of(), settings))
        .isInstanceOf(ConfigException.class).hasMessageContaining(StreamProcessorConfig.APPLICATION_SERVER).hasMessageContaining("host:port");
  }

  @Test
  void theTokenIsNeverPrinted() {
    Map<String, String> settings = minimal();
    settings.put(StreamProcessorConfig.QUERY_TOKEN, "do-not-print-this-token");

    assertThat(StreamProcessorConfig.load(null, Map.of(), settings).values().toString()).doesNotContain("do-not-print");
  }
}
