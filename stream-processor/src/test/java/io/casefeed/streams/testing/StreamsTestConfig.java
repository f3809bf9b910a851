package io.casefeed.streams.testing;

import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.streams.config.StreamProcessorConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Settings of a streams app under test: its own topics and ids, small commit interval, replication 1. */
public final class StreamsTestConfig {

  private StreamsTestConfig() {}

  public static Map<String, String> settings(String prefix, String applicationId, Path stateDir, String registryUrl) {
    Map<String, String> settings = new HashMap<>();
    settings.put(StreamProcessorConfig.BOOTSTRAP_SERVERS, KafkaFixture.bootstrapServers());
    settings.put(StreamProcessorConfig.SCHEMA_REGISTRY_URL, registryUrl);
    settings.put(StreamProcessorConfig.TOPIC_PREFIX, prefix);
    settings.put(StreamProcessorConfig.TOPIC_REPLICATION_FACTOR, "1");
    settings.put(StreamProcessorConfig.APPLICATION_ID, applicationId);
    settings.put(StreamProcessorConfig.STATE_DIR, stateDir.toString());
    settings.put(StreamProcessorConfig.COMMIT_INTERVAL_MS, "100");
    settings.put(StreamProcessorConfig.QUERY_PORT, "0");
    return settings;
  }
}
