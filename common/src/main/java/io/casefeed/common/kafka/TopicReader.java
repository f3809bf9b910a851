package io.casefeed.common.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The one "read a topic to its end" of casefeed: from the consumer's current positions up to the
 * end offsets taken when reading starts. Not reaching them within the timeout FAILS with Kafka's
 * {@link TimeoutException} naming every partition still behind: a caller never goes on with a
 * table it believes complete and is not.
 */
public final class TopicReader {

  /** Takes one record read. */
  @FunctionalInterface
  public interface RecordHandler<K, V> {
    void handle(ConsumerRecord<K, V> record);
  }

  private static final Duration POLL = Duration.ofMillis(200);

  private TopicReader() {}

  /** Every partition of {@code topic}, in partition order. */
  public static List<TopicPartition> partitionsOf(Consumer<?, ?> consumer, String topic, Duration timeout) {
    return consumer.partitionsFor(topic, timeout).stream()
        .map(p -> new TopicPartition(topic, p.partition()))
        .sorted(Comparator.comparingInt(TopicPartition::partition))
        .toList();
  }

  /** Assigns every partition of {@code topic}, reads it from the beginning to its end. */
  public static <K, V> void readAll(Consumer<K, V> consumer, String topic, Duration timeout, RecordHandler<K, V> handler) {
    List<TopicPartition> partitions = partitionsOf(consumer, topic, timeout);
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    readToEnd(consumer, partitions, timeout, Clock.systemUTC(), () -> true, handler);
  }

  /**
   * Reads the assigned, positioned {@code partitions} up to their end offsets as of now.
   *
   * @param keepReading asked before every poll; false stops at once (the caller is shutting down)
   * @return true when the end was reached, false when {@code keepReading} stopped it first
   * @throws TimeoutException when the end is not reached within {@code timeout}
   */
  public static <K, V> boolean readToEnd(Consumer<K, V> consumer, Collection<TopicPartition> partitions, Duration timeout,
      Clock clock, BooleanSupplier keepReading, RecordHandler<K, V> handler) {
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      Map<TopicPartition, String> behind = behind(consumer, partitions, ends, timeout);
      if (behind.isEmpty()) {
        return true;
      }
      if (!keepReading.getAsBoolean()) {
        return false;
      }
      if (clock.instant().isAfter(deadline)) {
        throw new TimeoutException("could not read " + partitions + " to their end within " + timeout
            + "; still behind (position/end): " + behind);
      }
      for (ConsumerRecord<K, V> record : consumer.poll(POLL)) {
        handler.handle(record);
      }
    }
  }

  private static Map<TopicPartition, String> behind(Consumer<?, ?> consumer, Collection<TopicPartition> partitions,
      Map<TopicPartition, Long> ends, Duration timeout) {
    Map<TopicPartition, String> behind = new TreeMap<>(Comparator.comparing(TopicPartition::toString));
    for (TopicPartition tp : partitions) {
      long position = consumer.position(tp, timeout);
      long end = ends.getOrDefault(tp, 0L);
      if (position < end) {
        behind.put(tp, position + "/" + end);
      }
    }
    return behind;
  }
}
