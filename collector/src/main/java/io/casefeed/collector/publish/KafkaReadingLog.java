package io.casefeed.collector.publish;

import io.casefeed.schema.SweepRecord;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The reading log kept in a compacted topic of the collector (one record per account: the sweep that
 * completed its first reading), so any instance knows which accounts casefeed has read before.
 */
public final class KafkaReadingLog implements ReadingLog {

  private final Map<String, Object> kafkaSettings;
  private final String topic;
  private final KafkaPublisher publisher;
  private final Set<String> read = ConcurrentHashMap.newKeySet();

  public KafkaReadingLog(Map<String, Object> kafkaSettings, String topic, KafkaPublisher publisher) {
    this.kafkaSettings = kafkaSettings;
    this.topic = topic;
    this.publisher = publisher;
  }

  /** Re-reads the topic; called at start and whenever this instance is given other accounts. */
  public void reload() {
    read.addAll(CompactedTopicReader.readAll(kafkaSettings, topic, Duration.ofSeconds(60)).keySet());
  }

  @Override
  public boolean hasBeenRead(String accountId) {
    return read.contains(accountId);
  }

  @Override
  public void markRead(SweepRecord firstCompleteSweep) {
    byte[] value = publisher.sweepSerde().serialize(topic, firstCompleteSweep);
    try {
      publisher.send(new ProducerRecord<>(topic, null, firstCompleteSweep.getFinishedAt().toEpochMilli(),
          firstCompleteSweep.getAccountId(), value)).get();
      read.add(firstCompleteSweep.getAccountId());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // Not marked: the next sweep is reported as a first reading again, which is the safe side.
    }
  }
}
