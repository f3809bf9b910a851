package io.casefeed.collector.publish;

import io.casefeed.common.kafka.KafkaClientSettings;
import io.casefeed.common.kafka.TopicReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a compacted topic from its start to its current end, as a table of latest values. */
public final class CompactedTopicReader {

  private CompactedTopicReader() {}

  /**
   * Key to latest value; keys whose latest record is a tombstone are absent.
   *
   * @throws org.apache.kafka.common.errors.TimeoutException when the end is not reached within {@code timeout}
   */
  public static Map<String, byte[]> readAll(Map<String, Object> kafkaSettings, String topic, Duration timeout) {
    Map<String, byte[]> table = new HashMap<>();
    try (var consumer = new KafkaConsumer<>(KafkaClientSettings.reader(kafkaSettings), new StringDeserializer(),
        new ByteArrayDeserializer())) {
      TopicReader.readAll(consumer, topic, timeout, record -> {
        if (record.value() == null) {
          table.remove(record.key());
        } else {
          table.put(record.key(), record.value());
        }
      });
    }
    return table;
  }
}
