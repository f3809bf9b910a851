package io.casefeed.common.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The presets every casefeed Kafka client starts from, so that a producer is never built without
 * idempotence or a reader without read_committed by accident. Each takes the app's client settings
 * ({@link io.casefeed.common.config.CommonConfig#kafkaClientSettings()}: bootstrap servers,
 * security) and returns a fresh, modifiable map the caller may add to.
 */
public final class KafkaClientSettings {

  private KafkaClientSettings() {}

  /** acks=all and idempotence: a retried send is never written twice. */
  public static Map<String, Object> idempotentProducer(Map<String, Object> base) {
    Map<String, Object> settings = new HashMap<>(base);
    settings.put(ProducerConfig.ACKS_CONFIG, "all");
    settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return settings;
  }

  /** An idempotent producer with a transactional id (exactly-once writes of several records at once). */
  public static Map<String, Object> transactionalProducer(Map<String, Object> base, String transactionalId) {
    Map<String, Object> settings = idempotentProducer(base);
    settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    return settings;
  }

  /** A consumer in a group that commits by itself, after the work is done, and sees only committed transactions. */
  public static Map<String, Object> groupConsumer(Map<String, Object> base, String groupId) {
    Map<String, Object> settings = new HashMap<>(base);
    settings.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return settings;
  }

  /** A reader outside any group (assign and seek, e.g. for {@link TopicReader}), seeing only committed transactions. */
  public static Map<String, Object> reader(Map<String, Object> base) {
    Map<String, Object> settings = new HashMap<>(base);
    settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
    settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return settings;
  }

  /** An admin client: the connection and security settings only. */
  public static Map<String, Object> admin(Map<String, Object> base) {
    return new HashMap<>(base);
  }
}
