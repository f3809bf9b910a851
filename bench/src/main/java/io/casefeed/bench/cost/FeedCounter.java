package io.casefeed.bench.cost;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts committed records on the observations and change topics from the moment it starts (their end),
 * so CPU can be put per 1,000 observations of the measured window (offsets would also count transaction
 * markers, and the backfill before the window is not the steady state being measured).
 */
final class FeedCounter implements AutoCloseable {

  record Counts(long observations, long changes) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String observationsTopic;
  private final AtomicLong observations = new AtomicLong();
  private final AtomicLong changes = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private final java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);

  FeedCounter(String bootstrap, String observationsTopic, String changesTopic) {
    this.observationsTopic = observationsTopic;
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    thread = new Thread(() -> run(observationsTopic, changesTopic), "cost-feed-counter");
    thread.setDaemon(true);
  }

  /** Starts counting at the topics' current end; returns once the positions are fixed. */
  void start() throws InterruptedException {
    thread.start();
    if (!ready.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
      throw new IllegalStateException("the feed counter found no position on " + observationsTopic + " within 60 s");
    }
  }

  Counts counts() {
    return new Counts(observations.get(), changes.get());
  }

  private void run(String observationsTopic, String changesTopic) {
    try {
      List<TopicPartition> partitions = Map.of(observationsTopic, 0, changesTopic, 0).keySet().stream()
          .flatMap(topic -> consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())))
          .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      // Resolves the positions now: what is committed after this is the window's.
      partitions.forEach(consumer::position);
      ready.countDown();
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          (record.topic().equals(this.observationsTopic) ? observations : changes).incrementAndGet();
        }
      }
    } catch (WakeupException e) {
      // Closing.
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    consumer.wakeup();
    thread.join(10_000);
  }
}
