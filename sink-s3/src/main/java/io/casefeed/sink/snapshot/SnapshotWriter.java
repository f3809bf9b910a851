package io.casefeed.sink.snapshot;

import io.casefeed.schema.CaseState;
import io.casefeed.schemas.privacy.PersonalData;
import io.casefeed.common.time.Sleeper;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.schemas.serde.RegistryOutageGuard;
import io.casefeed.schemas.serde.RegistryUnavailableException;
import io.casefeed.sink.format.KeptFields;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the latest state of every case from the compacted casefeed.cases in memory (a tombstone
 * removes a case) and writes the case_list snapshot every interval. It reads the whole topic at
 * every start and commits nothing; the first snapshot waits until that reading has caught up, so
 * a snapshot never shows a half-read topic.
 */
public final class SnapshotWriter implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriter.class);

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final AvroSerde<CaseState> serde;
  private final CaseListSnapshots snapshots;
  private final Duration interval;
  private final Clock clock;
  private final Map<String, CaseState> cases = new ConcurrentHashMap<>();
  private final Counter written;
  private final Counter unreadable;
  private final PersonalData privacy;
  private final RegistryOutageGuard registryGuard;
  private volatile boolean running = true;
  private volatile String lastFolder;

  public SnapshotWriter(Consumer<byte[], byte[]> consumer, String topic, AvroSerde<CaseState> serde, PersonalData privacy,
      CaseListSnapshots snapshots, Duration interval, Clock clock, MeterRegistry meters) {
    this(consumer, topic, serde, privacy, snapshots, interval, clock, meters, new RegistryOutageGuard(clock, Sleeper.SYSTEM));
  }

  public SnapshotWriter(Consumer<byte[], byte[]> consumer, String topic, AvroSerde<CaseState> serde, PersonalData privacy,
      CaseListSnapshots snapshots, Duration interval, Clock clock, MeterRegistry meters, RegistryOutageGuard registryGuard) {
    this.registryGuard = registryGuard;
    this.privacy = privacy;
    this.consumer = consumer;
    this.topic = topic;
    this.serde = serde;
    this.snapshots = snapshots;
    this.interval = interval;
    this.clock = clock;
    this.written = meters.counter("casefeed.sink.snapshot.written");
    this.unreadable = meters.counter("casefeed.sink.snapshot.unreadable.records");
    meters.gaugeMapSize("casefeed.sink.snapshot.cases", List.of(), cases);
  }

  @Override
  public void run() {
    List<TopicPartition> all = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(all);
    consumer.seekToBeginning(all);
    Map<TopicPartition, Long> startEnd = new HashMap<>(consumer.endOffsets(all));
    boolean caughtUp = false;
    Instant next = clock.instant();
    try {
      while (running) {
        // A record waiting for the registry is read again at the next poll rather than a stale state kept.
        registryGuard.handlePoll(consumer, consumer.poll(Duration.ofMillis(200)), this::apply);
        if (!caughtUp) {
          caughtUp = all.stream().allMatch(tp -> consumer.position(tp) >= startEnd.get(tp));
        }
        // Held while a record waits for the registry: the snapshot would show that case's old state.
        if (caughtUp && !registryGuard.waiting() && !clock.instant().isBefore(next)) {
          Instant at = clock.instant();
          lastFolder = snapshots.write(cases.values(), at);
          written.increment();
          LOG.info("case_list snapshot of {} cases written to {}", cases.size(), lastFolder);
          next = at.plus(interval);
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

  /** False once a record has waited for the schema registry longer than the guard's threshold. */
  public boolean registryHealthy() {
    return registryGuard.healthy();
  }

  private void apply(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    if (key == null) {
      unreadable.increment();
      return;
    }
    if (record.value() == null) {
      cases.remove(key);
      return;
    }
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    try {
      cases.put(key, KeptFields.of(privacy.apply(registryGuard.decode(tp, () -> serde.deserialize(record.topic(), record.value())))));
    } catch (RegistryUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      // The stream-processor dead-letters what it cannot write; a record here that cannot be read
      // keeps the case's previous state rather than stopping every snapshot.
      unreadable.increment();
      LOG.warn("case state at {}-{}@{} cannot be read, previous state kept: {}",
          record.topic(), record.partition(), record.offset(), e.toString());
    }
  }

  /** The folder of the last snapshot written, or null before the first. */
  public String lastFolder() {
    return lastFolder;
  }

  public void stop() {
    running = false;
    consumer.wakeup();
  }
}
