package io.casefeed.streams.testing;

import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.streams.config.StreamsConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Settings of a streams app under test: its own topics and ids, small commit interval, replication 1. */
public final class StreamsTestConfig {

  private StreamsTestConfig() {}

  public static Map<String, String> settings(String prefix, String applicationId, Path stateDir, String registryUrl) {
    Map<String, String> settings = new HashMap<>();
    settings.put(StreamsConfig.BOOTSTRAP_SERVERS, KafkaFixture.bootstrapServers());
    settings.put(StreamsConfig.SCHEMA_REGISTRY_URL, registryUrl);
    settings.put(StreamsConfig.TOPIC_PREFIX, prefix);
    settings.put(StreamsConfig.TOPIC_REPLICATION_FACTOR, "1");
    settings.put(StreamsConfig.APPLICATION_ID, applicationId);
    settings.put(StreamsConfig.STATE_DIR, stateDir.toString());
    settings.put(StreamsConfig.COMMIT_INTERVAL_MS, "100");
    settings.put(StreamsConfig.QUERY_PORT, "0");
    return settings;
  }
}
