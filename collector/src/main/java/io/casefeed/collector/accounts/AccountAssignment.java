package io.casefeed.collector.accounts;

import io.casefeed.common.kafka.KafkaClientSettings;
import io.casefeed.schema.AccountRecord;
import io.casefeed.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's share of the accounts: the collectors form one consumer group on casefeed.accounts
 * and each polls the accounts whose records are in the partitions it owns. Partitions are read from
 * their start on assignment (the topic is compacted: it is a table). The sticky cooperative assignor
 * moves only the partitions that must move, and a partition is handed over only after its previous
 * owner has released it, so an account is never polled by two instances at once.
 */
public final class AccountAssignment implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AccountAssignment.class);

  /** Told of changes, on the assignment's own thread. */
  public interface Listener {
    /** Partitions were assigned; their accounts follow. Called before those accounts are added. */
    void partitionsAssigned(Collection<TopicPartition> partitions);

    void accountsAdded(Map<String, AccountRecord> accounts);

    /** Must return only when no poll of these accounts runs any more. */
    void accountsRemoved(Set<String> accountIds);
  }

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final AvroSerde<AccountRecord> serde;
  private final Listener listener;
  private final BiConsumer<ConsumerRecord<byte[], byte[]>, Exception> deadLetter;
  private final java.util.function.Consumer<Throwable> onFatal;
  private final Map<Integer, Map<String, AccountRecord>> tables = new ConcurrentHashMap<>();
  /** Partitions assigned whose table is not read up to its end offset at assignment yet, with that offset. */
  private final Map<Integer, Long> loading = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean ownsPartitionZero;
  /** The group assigned this instance its share (possibly none) at least once. */
  private volatile boolean assignedOnce;
  /** Every partition of the first assignment was read to its end: this instance knows its share of the accounts. */
  private volatile boolean readOnce;
  private volatile boolean running = true;

  /**
   * @param onFatal told once, on the assignment's thread, when that thread stops on an error it did not
   *     expect: without it the collector would poll a share nobody maintains any more (a lifecycle passes
   *     its {@code fail})
   */
  public AccountAssignment(Map<String, Object> kafkaSettings, String groupId, String clientId, String topic,
      AvroSerde<AccountRecord> serde, Listener listener, BiConsumer<ConsumerRecord<byte[], byte[]>, Exception> deadLetter,
      java.util.function.Consumer<Throwable> onFatal) {
    this(new KafkaConsumer<>(settings(kafkaSettings, groupId, clientId), new ByteArrayDeserializer(), new ByteArrayDeserializer()),
        topic, serde, listener, deadLetter, onFatal);
  }

  /** With a consumer made elsewhere (a test's {@code MockConsumer}); it is closed by this assignment. */
  AccountAssignment(Consumer<byte[], byte[]> consumer, String topic, AvroSerde<AccountRecord> serde, Listener listener,
      BiConsumer<ConsumerRecord<byte[], byte[]>, Exception> deadLetter, java.util.function.Consumer<Throwable> onFatal) {
    this.consumer = consumer;
    this.topic = topic;
    this.serde = serde;
    this.listener = listener;
    this.deadLetter = deadLetter;
    this.onFatal = Objects.requireNonNull(onFatal, "onFatal");
    this.thread = new Thread(this::run, "collector-accounts");
    this.thread.setDaemon(true);
  }

  private static Map<String, Object> settings(Map<String, Object> kafkaSettings, String groupId, String clientId) {
    Map<String, Object> settings = KafkaClientSettings.groupConsumer(kafkaSettings, groupId);
    settings.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-accounts");
    settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    settings.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    return settings;
  }

  public void start() {
    thread.start();
  }

  /** Whether an account is followed, as far as the partition of casefeed.accounts it belongs to tells. */
  public enum Membership {
    /** The account has a record in its partition, which this instance owns and has read to its end. */
    FOLLOWED,
    /** This instance owns the partition, has read it to its end, and the account has no record there. */
    NOT_FOLLOWED,
    /** The partition is not this instance's, or its table is still being read: no answer here. */
    NOT_HERE
  }

  /** The partitions this instance owns and whose account tables are complete. */
  public Set<Integer> loadedPartitions() {
    Set<Integer> loaded = new HashSet<>(tables.keySet());
    loaded.removeAll(loading.keySet());
    return loaded;
  }

  /** Whether {@code accountId} is followed, asked of the partition of casefeed.accounts its key maps to. */
  public Membership membership(int partition, String accountId) {
    Map<String, AccountRecord> table = tables.get(partition);
    if (table == null || loading.containsKey(partition)) {
      return Membership.NOT_HERE;
    }
    return table.containsKey(accountId) ? Membership.FOLLOWED : Membership.NOT_FOLLOWED;
  }

  /** Whether this instance's share of casefeed.accounts has been read to its end at least once (part of readiness). */
  public boolean readOnce() {
    return readOnce;
  }

  /** Whether this instance publishes the resolved account set (it owns partition 0). */
  public boolean ownsPartitionZero() {
    return ownsPartitionZero;
  }

  private void run() {
    Throwable fatal = null;
    try {
      consumer.subscribe(Set.of(topic), new Rebalance());
      while (running) {
        Map<String, AccountRecord> added = new HashMap<>();
        Set<String> removed = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          apply(record, added, removed);
        }
        if (!removed.isEmpty()) {
          listener.accountsRemoved(removed);
        }
        if (!added.isEmpty()) {
          listener.accountsAdded(added);
        }
        markLoaded();
        if (assignedOnce && loading.isEmpty()) {
          readOnce = true;
        }
      }
    } catch (WakeupException e) {
      if (running) {
        fatal = new IllegalStateException("the accounts consumer was woken up while running", e);
      }
    } catch (RuntimeException | Error e) {
      fatal = e;
    } finally {
      try {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(10)));
      } catch (RuntimeException e) {
        LOG.warn("closing the accounts consumer: {}", e.toString());
      }
    }
    if (fatal != null) {
      LOG.error("account assignment stopped", fatal);
      onFatal.accept(fatal);
    }
  }

  /** After the accounts read so far were handed to the listener: which assigned tables are complete now. */
  private void markLoaded() {
    for (var entry : loading.entrySet()) {
      if (consumer.position(new TopicPartition(topic, entry.getKey())) >= entry.getValue()) {
        loading.remove(entry.getKey());
      }
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> record, Map<String, AccountRecord> added, Set<String> removed) {
    Map<String, AccountRecord> table = tables.computeIfAbsent(record.partition(), p -> new ConcurrentHashMap<>());
    String accountId = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    if (accountId == null) {
      deadLetter.accept(record, new IllegalArgumentException("account record without a key"));
      return;
    }
    if (record.value() == null) {
      if (table.remove(accountId) != null) {
        removed.add(accountId);
        added.remove(accountId);
      }
      return;
    }
    AccountRecord account;
    try {
      account = serde.deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      deadLetter.accept(record, e);
      return;
    }
    if (table.put(accountId, account) == null) {
      added.put(accountId, account);
      removed.remove(accountId);
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      // Called after every rebalance, also with no partitions: an instance with no share is assigned too.
      assignedOnce = true;
      if (partitions.isEmpty()) {
        return;
      }
      // Loading before the table exists, so that no partition looks complete while it is read.
      consumer.endOffsets(partitions).forEach((p, end) -> loading.put(p.partition(), end));
      partitions.forEach(p -> tables.put(p.partition(), new ConcurrentHashMap<>()));
      ownsPartitionZero = ownsPartitionZero || partitions.stream().anyMatch(p -> p.partition() == 0);
      listener.partitionsAssigned(partitions);
      consumer.seekToBeginning(partitions);
      LOG.info("assigned partitions {} of {}", partitions.stream().map(TopicPartition::partition).sorted().toList(), topic);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      release(partitions, "revoked");
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      release(partitions, "lost");
    }

    private void release(Collection<TopicPartition> partitions, String why) {
      if (partitions.isEmpty()) {
        return;
      }
      Set<String> ids = new HashSet<>();
      for (TopicPartition p : partitions) {
        Map<String, AccountRecord> table = tables.remove(p.partition());
        loading.remove(p.partition());
        if (table != null) {
          ids.addAll(table.keySet());
        }
        if (p.partition() == 0) {
          ownsPartitionZero = false;
        }
      }
      listener.accountsRemoved(ids);
      LOG.info("partitions {} of {} {}: {} accounts released", partitions.stream().map(TopicPartition::partition).sorted().toList(),
          topic, why, ids.size());
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(20_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
