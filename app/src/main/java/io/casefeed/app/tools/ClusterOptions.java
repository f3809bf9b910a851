package io.casefeed.app.tools;

import io.casefeed.common.config.CommonConfig;
import io.casefeed.common.config.ConfigLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import picocli.CommandLine.Option;

/**
 * Where the tools find Kafka and the schema registry: a casefeed config file, or flags whose
 * defaults are those of {@code casefeed demo}.
 */
public final class ClusterOptions {

  @Option(names = "--config", description = "A casefeed config file (kafka.*, schema.registry.*, topic.prefix).")
  Path configFile;

  @Option(names = "--bootstrap-servers", description = "Kafka brokers (default: the demo's, 127.0.0.1:9092).")
  String bootstrapServers;

  @Option(names = "--schema-registry", description = "Schema registry URL (default: the demo's, http://127.0.0.1:8081).")
  String schemaRegistryUrl;

  @Option(names = "--topic-prefix", description = "Prefix of casefeed's topic names, if the pipeline uses one.")
  String topicPrefix;

  public CommonConfig toConfig() {
    Map<String, String> overrides = new HashMap<>();
    if (configFile == null) {
      overrides.put(CommonConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9092");
      overrides.put(CommonConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:8081");
    }
    if (bootstrapServers != null) {
      overrides.put(CommonConfig.BOOTSTRAP_SERVERS, bootstrapServers);
    }
    if (schemaRegistryUrl != null) {
      overrides.put(CommonConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
    }
    if (topicPrefix != null) {
      overrides.put(CommonConfig.TOPIC_PREFIX, topicPrefix);
    }
    ConfigDef definition = CommonConfig.define(new ConfigDef());
    return new CommonConfig(definition,
        ConfigLoader.load(definition, configFile, System.getenv(), overrides, Set.of(CommonConfig.KAFKA_PREFIX)));
  }
}
