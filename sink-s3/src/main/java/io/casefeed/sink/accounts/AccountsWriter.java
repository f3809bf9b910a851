package io.casefeed.sink.accounts;

import io.casefeed.common.time.Sleeper;
import io.casefeed.schema.AccountRecord;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.schemas.serde.RegistryOutageGuard;
import io.casefeed.schemas.serde.RegistryUnavailableException;
import io.casefeed.sink.format.AccountRow;
import io.casefeed.sink.format.ParquetBytes;
import io.casefeed.sink.store.ObjectStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every account of the compacted casefeed.accounts in memory (a tombstone removes one) and
 * rewrites {@code <prefix>/accounts/accounts.parquet} when the set changes. Each write is the whole
 * set, read from the whole topic at every start, so a restart, a repeated record or a lost write
 * never leaves a wrong file for long: the next write is complete again. Writes are debounced (a burst
 * of changes, e.g. an organisation resolved for the first time, is one write), held until the topic
 * is read to its end at start, and held while a record waits for the schema registry, as the
 * case_list snapshot is. Nothing is committed; a record that cannot be read keeps the previous state.
 */
public final class AccountsWriter implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(AccountsWriter.class);
  private static final String PARQUET_TYPE = "application/vnd.apache.parquet";
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final AvroSerde<AccountRecord> serde;
  private final ObjectStore store;
  private final String prefix;
  private final Duration debounce;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RegistryOutageGuard registryGuard;
  private final Map<String, AccountRecord> accounts = new ConcurrentHashMap<>();
  private final Counter written;
  private final Counter unreadable;
  /** 1 while casefeed.accounts does not exist yet (no collector has run): a gauge an operator can alert on. */
  private final AtomicInteger topicMissing = new AtomicInteger();
  private volatile boolean running = true;
  private volatile int lastWrittenCount = -1;
  /** When the set first changed since the last write; null while the file is current. */
  private Instant changedSince;

  public AccountsWriter(Consumer<byte[], byte[]> consumer, String topic, AvroSerde<AccountRecord> serde, ObjectStore store,
      String prefix, Duration debounce, Clock clock, Sleeper sleeper, MeterRegistry meters, RegistryOutageGuard registryGuard) {
    this.consumer = consumer;
    this.topic = topic;
    this.serde = serde;
    this.store = store;
    this.prefix = prefix;
    this.debounce = debounce;
    this.clock = clock;
    this.sleeper = sleeper;
    this.registryGuard = registryGuard;
    this.written = meters.counter("casefeed.sink.accounts.written");
    this.unreadable = meters.counter("casefeed.sink.accounts.unreadable.records");
    meters.gaugeMapSize("casefeed.sink.accounts", List.of(), accounts);
    meters.gauge("casefeed.sink.accounts.topic.missing", topicMissing);
  }

  @Override
  public void run() {
    try {
      List<TopicPartition> all = partitions();
      if (all.isEmpty()) {
        return;
      }
      consumer.assign(all);
      consumer.seekToBeginning(all);
      Map<TopicPartition, Long> startEnd = new HashMap<>(consumer.endOffsets(all));
      boolean caughtUp = false;
      // The file is rewritten once at start, so it never keeps an account removed while the sink was down.
      changedSince = Instant.MIN;
      while (running) {
        // A record waiting for the registry is read again at the next poll rather than a stale name written.
        registryGuard.handlePoll(consumer, consumer.poll(Duration.ofMillis(200)), record -> {
          if (apply(record) && changedSince == null) {
            changedSince = clock.instant();
          }
        });
        if (!caughtUp) {
          caughtUp = all.stream().allMatch(tp -> consumer.position(tp) >= startEnd.get(tp));
        }
        if (changedSince != null && caughtUp && !registryGuard.waiting() && !clock.instant().isBefore(changedSince.plus(debounce))) {
          write();
          changedSince = null;
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The topic's partitions; waits while the topic does not exist yet (the collector creates it). */
  private List<TopicPartition> partitions() throws InterruptedException {
    while (running) {
      List<TopicPartition> all = consumer.partitionsFor(topic, METADATA_TIMEOUT).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      if (!all.isEmpty()) {
        topicMissing.set(0);
        return all;
      }
      topicMissing.set(1);
      LOG.info("{} does not exist yet; the accounts table waits for it", topic);
      sleeper.sleep(debounce.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : debounce);
    }
    return List.of();
  }

  /** @return whether the account set changed */
  private boolean apply(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
    if (record.key() == null) {
      unreadable.increment();
      return false;
    }
    String key = new String(record.key(), StandardCharsets.UTF_8);
    if (record.value() == null) {
      return accounts.remove(key) != null;
    }
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    AccountRecord account;
    try {
      account = registryGuard.decode(tp, () -> serde.deserialize(record.topic(), record.value()));
    } catch (RegistryUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      // The collector wrote it; a record the sink cannot read keeps the account's previous row
      // rather than stopping the table (the case writers dead-letter, this is a derived table).
      unreadable.increment();
      LOG.warn("account at {}-{}@{} cannot be read, previous row kept: {}", record.topic(), record.partition(),
          record.offset(), e.toString());
      return false;
    }
    return !Objects.equals(accounts.put(key, account), account);
  }

  private void write() {
    List<AccountRecord> rows = AccountRow.sorted(accounts.values());
    byte[] parquet = ParquetBytes.write(AccountRow.TABLE.avroSchema(), rows.stream().map(AccountRow.TABLE::toAvro).toList());
    store.put(AccountsKeys.parquet(prefix), parquet, PARQUET_TYPE,
        Map.of("casefeed-written-at", clock.instant().toString(), "casefeed-accounts", Integer.toString(rows.size())));
    lastWrittenCount = rows.size();
    written.increment();
    LOG.info("accounts table of {} accounts written to {}", rows.size(), AccountsKeys.parquet(prefix));
  }

  /** How many accounts the last write held; -1 before the first. */
  public int lastWrittenCount() {
    return lastWrittenCount;
  }

  /** False once a record has waited for the schema registry longer than the guard's threshold. */
  public boolean registryHealthy() {
    return registryGuard.healthy();
  }

  public void stop() {
    running = false;
    consumer.wakeup();
  }
}
