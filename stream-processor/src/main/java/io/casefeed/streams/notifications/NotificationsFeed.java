package io.casefeed.streams.notifications;

import io.casefeed.common.time.Sleeper;
import io.casefeed.common.kafka.TopicReader;
import io.casefeed.schema.NotificationRecord;
import io.casefeed.schemas.serde.RegistryOutageGuard;
import io.casefeed.schemas.serde.RegistryUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the notifier's ledger ({@code casefeed.notifications}) into {@link RecentNotifications}
 * for the dashboard, on a thread of its own. Every instance reads every partition from the start
 * (the topic is compacted and small), so a query needs no other instance. It waits for a topic that
 * does not exist yet (no notifier deployed) and for the schema registry during an outage
 * ({@link RegistryOutageGuard}); a record it cannot decode is counted and passed over, since the
 * notifier, which owns the topic, dead-letters it itself.
 */
public final class NotificationsFeed implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NotificationsFeed.class);
  private static final Duration POLL = Duration.ofMillis(500);
  /** How long to wait before looking again for a topic not there yet, or after a broker error. */
  static final Duration RETRY = Duration.ofSeconds(5);

  private final Consumer<String, byte[]> consumer;
  private final String topic;
  private final Deserializer<NotificationRecord> deserializer;
  private final RecentNotifications view;
  private final RegistryOutageGuard guard;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Thread thread;
  private final AtomicLong passedOver = new AtomicLong();
  private volatile boolean running = true;
  private volatile boolean reading;
  private volatile Instant lastRead;

  public NotificationsFeed(Consumer<String, byte[]> consumer, String topic, Deserializer<NotificationRecord> deserializer,
      RecentNotifications view, Clock clock, Sleeper sleeper) {
    this.consumer = consumer;
    this.topic = topic;
    this.deserializer = deserializer;
    this.view = view;
    this.clock = clock;
    this.sleeper = sleeper;
    this.guard = new RegistryOutageGuard(clock, sleeper);
    this.thread = new Thread(this::run, "casefeed-notifications-feed");
    thread.setDaemon(true);
  }

  public NotificationsFeed start() {
    thread.start();
    return this;
  }

  public RecentNotifications view() {
    return view;
  }

  /** Whether the ledger's topic was found and is being read. */
  public boolean reading() {
    return reading;
  }

  /** When records were last read; null before the first. */
  public Instant lastRead() {
    return lastRead;
  }

  /** Whether a record waits for the schema registry now. */
  public boolean waitingForRegistry() {
    return guard.waiting();
  }

  /** Records passed over because they could not be decoded. */
  public long passedOver() {
    return passedOver.get();
  }

  private void run() {
    try {
      while (running) {
        try {
          if (!reading && !assign()) {
            sleeper.sleep(RETRY);
            continue;
          }
          var records = consumer.poll(POLL);
          if (!records.isEmpty()) {
            lastRead = clock.instant();
          }
          guard.handlePoll(consumer, records, this::handle);
        } catch (WakeupException | org.apache.kafka.common.errors.InterruptException e) {
          // close() asked the thread to stop.
          return;
        } catch (KafkaException e) {
          LOG.warn("reading {} for the dashboard failed ({}); trying again in {} s", topic, e.toString(), RETRY.toSeconds());
          sleeper.sleep(RETRY);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // close() may have interrupted a pause: closing the consumer with the flag set would throw.
      boolean interrupted = Thread.interrupted();
      try {
        consumer.close(Duration.ofSeconds(5));
      } catch (KafkaException e) {
        LOG.debug("closing the notifications reader: {}", e.toString());
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Assigns every partition from its start; false while the topic does not exist. */
  private boolean assign() {
    List<TopicPartition> partitions = TopicReader.partitionsOf(consumer, topic, Duration.ofSeconds(10));
    if (partitions.isEmpty()) {
      LOG.debug("{} does not exist yet (no notifier has run); looking again in {} s", topic, RETRY.toSeconds());
      return false;
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    reading = true;
    LOG.info("reading {} ({} partitions) for the dashboard's notifications", topic, partitions.size());
    return true;
  }

  private void handle(ConsumerRecord<String, byte[]> record) throws InterruptedException {
    if (record.value() == null) {
      view.apply(record.key(), null);
      return;
    }
    NotificationRecord value;
    try {
      value = guard.decode(new TopicPartition(record.topic(), record.partition()),
          () -> deserializer.deserialize(record.topic(), record.value()));
    } catch (RegistryUnavailableException e) {
      throw e;
    } catch (RuntimeException bad) {
      passedOver.incrementAndGet();
      LOG.warn("{} at offset {} of partition {} is not a notification record and is not shown ({})", record.key(), record.offset(),
          record.partition(), bad.toString());
      return;
    }
    view.apply(record.key(), value);
  }

  @Override
  public void close() {
    running = false;
    if (!thread.isAlive()) {
      if (thread.getState() == Thread.State.NEW) {
        consumer.close(Duration.ZERO);
      }
      return;
    }
    consumer.wakeup();
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
