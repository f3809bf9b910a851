package io.casefeed.schemas;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * One topic's contract.
 *
 * @param valueType the Avro class of the value, or null where the value is not Avro: the original bytes of
 *     another topic (casefeed.dead-letter), or a collector-internal marker its description names
 * @param retention null for compacted topics, which keep the latest record of each key forever
 */
public record TopicSpec(
    String name,
    KeyFormat keyFormat,
    Class<? extends SpecificRecord> valueType,
    int defaultPartitions,
    CleanupPolicy cleanupPolicy,
    Duration retention,
    String description) {

  public TopicSpec {
    Objects.requireNonNull(name);
    Objects.requireNonNull(keyFormat);
    Objects.requireNonNull(cleanupPolicy);
  }

  /** The schema-registry subject of the value (TopicNameStrategy). */
  public String valueSubject() {
    return name + "-value";
  }

  public Map<String, String> topicConfigs() {
    Map<String, String> configs = new HashMap<>();
    configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy.kafkaValue());
    if (retention != null) {
      configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
    }
    return configs;
  }

  public NewTopic newTopic(int partitions, short replicationFactor) {
    return new NewTopic(name, partitions, replicationFactor).configs(topicConfigs());
  }

  public NewTopic newTopic(short replicationFactor) {
    return newTopic(defaultPartitions, replicationFactor);
  }
}
