package io.casefeed.collector.events;

import io.casefeed.collector.accounts.AccountAssignment.Membership;
import io.casefeed.common.kafka.KafkaClientSettings;
import io.casefeed.common.time.Sleeper;
import io.casefeed.schema.SupportEvent;
import io.casefeed.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner's half of events: reads the partitions of {@code casefeed.support-events} whose numbers
 * are those this instance owns of {@code casefeed.accounts} (the topics are co-partitioned by account
 * id), and announces each event's case to the scheduler, which re-reads it at once. The partitions
 * are assigned by hand, following the account assignment, and only once that partition's account
 * table is complete, so "not followed" is never said of an account whose record is still being read.
 *
 * <p>An event for an account casefeed does not follow, or one that cannot be read, goes to the
 * dead-letter topic with the reason. Offsets are committed once the events are announced: an instance
 * that dies before the read loses that read, and the account's polls, the net, find the change.
 */
public final class SupportEventFollower implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SupportEventFollower.class);
  private static final Duration POLL = Duration.ofMillis(200);

  /** What the follower asks of the account assignment. */
  public interface Accounts {
    Set<Integer> loadedPartitions();

    Membership membership(int partition, String accountId);
  }

  /** Where an announced case goes: the scheduler. */
  @FunctionalInterface
  public interface Announcements {
    void announce(String accountId, String caseId, String eventId);
  }

  /** Where an event that cannot be acted on goes, with the reason. */
  @FunctionalInterface
  public interface Rejects {
    void reject(ConsumerRecord<byte[], byte[]> record, String accountId, String reason, Exception cause);
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final AvroSerde<SupportEvent> serde;
  private final Accounts accounts;
  private final Announcements announcements;
  private final Rejects rejects;
  private final Clock clock;
  private final Duration maxAge;
  private final Sleeper sleeper;
  private final Thread thread;
  private Set<Integer> assigned = Set.of();
  private volatile boolean running = true;

  /**
   * @param groupId the group the offsets are committed in (partitions are assigned, not subscribed)
   * @param maxAge events received longer ago are skipped: by then a poll has looked at the account
   *     (on first start, the topic is read from its beginning)
   */
  public SupportEventFollower(Map<String, Object> kafkaSettings, String groupId, String clientId, String topic,
      AvroSerde<SupportEvent> serde, Accounts accounts, Announcements announcements, Rejects rejects, Clock clock,
      Duration maxAge, Sleeper sleeper) {
    Map<String, Object> settings = KafkaClientSettings.groupConsumer(kafkaSettings, groupId);
    settings.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-support-events");
    settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    this.consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
    this.serde = serde;
    this.accounts = accounts;
    this.announcements = announcements;
    this.rejects = rejects;
    this.clock = clock;
    this.maxAge = maxAge;
    this.sleeper = sleeper;
    this.thread = new Thread(this::run, "collector-support-events");
    this.thread.setDaemon(true);
  }

  /**
   * Checks that the two topics are co-partitioned, then follows on a thread of its own.
   *
   * @throws IllegalStateException when the partition counts differ: the owner of an account would not
   *     see its events
   */
  public void start(String accountsTopic) {
    int events = partitionCount(topic);
    int owned = partitionCount(accountsTopic);
    if (events != owned) {
      consumer.close();
      throw new IllegalStateException(topic + " has " + events + " partitions and " + accountsTopic + " " + owned
          + ": they must be co-partitioned (the same count) for the owner of an account to receive its events");
    }
    thread.start();
  }

  /**
   * A topic created a moment ago (by this collector's start) may not be in the metadata yet: an empty
   * answer is asked again for up to 30 s before it counts.
   */
  private int partitionCount(String name) {
    try {
      for (int attempt = 0; attempt < 150; attempt++) {
        List<org.apache.kafka.common.PartitionInfo> partitions = consumer.partitionsFor(name, Duration.ofSeconds(30));
        if (partitions != null && !partitions.isEmpty()) {
          return partitions.size();
        }
        sleeper.sleep(POLL);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private void run() {
    try {
      while (running) {
        followAssignment();
        if (assigned.isEmpty()) {
          sleeper.sleep(POLL);
          continue;
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        Set<TopicPartition> handedBack = new HashSet<>();
        for (TopicPartition partition : records.partitions()) {
          for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
            if (!handle(record)) {
              // The partition moved away while its records were in flight: its new owner reads them.
              handedBack.add(partition);
              break;
            }
            done.put(partition, new OffsetAndMetadata(record.offset() + 1));
          }
        }
        if (!done.isEmpty()) {
          consumer.commitSync(done);
        }
        if (!handedBack.isEmpty()) {
          followAssignment();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (running) {
        LOG.error("following {} stopped; the polls alone read the accounts now", topic, e);
      }
    } finally {
      try {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(10)));
      } catch (RuntimeException e) {
        LOG.warn("closing the support-events consumer: {}", e.toString());
      }
    }
  }

  /** Assigns the partitions whose accounts this instance owns, from the committed offsets. */
  private void followAssignment() {
    Set<Integer> wanted = accounts.loadedPartitions();
    if (wanted.equals(assigned)) {
      return;
    }
    List<TopicPartition> partitions = wanted.stream().sorted().map(p -> new TopicPartition(topic, p)).toList();
    consumer.assign(partitions);
    assigned = Set.copyOf(wanted);
    LOG.info("following partitions {} of {}", partitions.stream().map(TopicPartition::partition).toList(), topic);
  }

  /** @return false when the record's partition is no longer this instance's, so it is left for the new owner */
  boolean handle(ConsumerRecord<byte[], byte[]> record) {
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    SupportEvent event;
    try {
      event = serde.deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      rejects.reject(record, key, "unreadable support event", e);
      return true;
    }
    if (event == null) {
      rejects.reject(record, key, "support event without a value", null);
      return true;
    }
    String accountId = event.getAccountId();
    if (key != null && !key.equals(accountId)) {
      rejects.reject(record, accountId, "key " + key + " is not the event's account " + accountId, null);
      return true;
    }
    Membership membership = accounts.membership(record.partition(), accountId);
    if (membership == Membership.NOT_HERE) {
      return false;
    }
    if (membership == Membership.NOT_FOLLOWED) {
      rejects.reject(record, accountId, "account " + accountId + " is not followed by casefeed (no record in partition "
          + record.partition() + " of casefeed.accounts)", null);
      return true;
    }
    if (event.getCaseId() == null || event.getCaseId().isBlank()) {
      rejects.reject(record, accountId, "support event " + event.getEventId() + " names no case", null);
      return true;
    }
    Instant received = event.getReceivedAt();
    if (received != null && received.isBefore(clock.instant().minus(maxAge))) {
      LOG.debug("event {} received {} is older than {}: the polls have looked since", event.getEventId(), received, maxAge);
      return true;
    }
    announcements.announce(accountId, event.getCaseId(), event.getEventId());
    return true;
  }

  @Override
  public void close() {
    running = false;
    if (!thread.isAlive()) {
      consumer.close();
      return;
    }
    consumer.wakeup();
    try {
      thread.join(20_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
