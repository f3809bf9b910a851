package io.casefeed.sink.history;

import io.casefeed.schema.CaseChange;
import io.casefeed.schemas.DeadLetters;
import io.casefeed.schemas.privacy.PersonalData;
import io.casefeed.common.time.Sleeper;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.schemas.serde.RegistryOutageGuard;
import io.casefeed.schemas.serde.RegistryUnavailableException;
import io.casefeed.sink.format.ChangeRow;
import io.casefeed.sink.format.KeptFields;
import io.casefeed.schemas.table.Timestamps;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the change feed and writes it as history objects, exactly once. Per partition one
 * object is open at a time, so the objects of a partition cover disjoint, ascending offset ranges.
 * The committed offset is the first offset of the open object (or just after the last one
 * written): it never runs ahead of what is in S3. After a crash the partition replays from there;
 * the first object it closes has the name of one already written, whose end offset tells where to
 * continue, so nothing is written twice even when the replay cuts its objects differently.
 *
 * <p>A record the schema registry is needed for while it is unavailable is neither written nor
 * dead-lettered: its partition seeks back to it and waits, retried at every poll
 * ({@link RegistryOutageGuard}); the other partitions go on.
 */
public final class ChangeHistoryWriter implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(ChangeHistoryWriter.class);
  private static final String FAILED_BY = "casefeed-sink-s3";

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> deadLetterProducer;
  private final String topic;
  private final String deadLetterTopic;
  private final AvroSerde<CaseChange> serde;
  private final HistoryUploader uploader;
  private final RotationPolicy rotation;
  private final Clock clock;
  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
  private final AtomicLong uncommittedRecords = new AtomicLong();
  private final PersonalData privacy;
  private final RegistryOutageGuard registryGuard;
  private volatile boolean running = true;

  public ChangeHistoryWriter(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> deadLetterProducer, String topic,
      String deadLetterTopic, AvroSerde<CaseChange> serde, PersonalData privacy, HistoryUploader uploader, RotationPolicy rotation,
      Clock clock, MeterRegistry meters) {
    this(consumer, deadLetterProducer, topic, deadLetterTopic, serde, privacy, uploader, rotation, clock, meters,
        new RegistryOutageGuard(clock, Sleeper.SYSTEM));
  }

  public ChangeHistoryWriter(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> deadLetterProducer, String topic,
      String deadLetterTopic, AvroSerde<CaseChange> serde, PersonalData privacy, HistoryUploader uploader, RotationPolicy rotation,
      Clock clock, MeterRegistry meters, RegistryOutageGuard registryGuard) {
    this.registryGuard = registryGuard;
    this.privacy = privacy;
    this.consumer = consumer;
    this.deadLetterProducer = deadLetterProducer;
    this.topic = topic;
    this.deadLetterTopic = deadLetterTopic;
    this.serde = serde;
    this.uploader = uploader;
    this.rotation = rotation;
    this.clock = clock;
    meters.gauge("casefeed.sink.history.commit.lag.records", uncommittedRecords);
  }

  /** Per partition: the open object, and what may be committed. */
  private static final class PartitionState {
    OpenFile open;
    /** The offset to commit once nothing before it is pending: just after everything handled. */
    long handledThrough = -1;
    long committed = -1;
    /** Records up to here are already in an existing object: skip them. */
    long skipThrough = -1;

    long committable() {
      return open != null ? open.startOffset() : handledThrough + 1;
    }
  }

  @Override
  public void run() {
    consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
        // Not written yet, so not committed either: the next owner reads them again.
        revoked.forEach(partitions::remove);
        revoked.forEach(registryGuard::forget);
      }

      @Override
      public void onPartitionsLost(Collection<TopicPartition> lost) {
        lost.forEach(partitions::remove);
        lost.forEach(registryGuard::forget);
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
        assigned.forEach(tp -> partitions.put(tp, new PartitionState()));
        LOG.info("change history: assigned {}", assigned);
      }
    });
    try {
      while (running) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        // A record waiting for the registry is read again at the next poll; nothing after it in its
        // partition is handled, so nothing past it is committed.
        registryGuard.handlePoll(consumer, records, this::handle);
        flushIdle(records.partitions());
        commit();
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } catch (InterruptedException e) {
      // Only a stop interrupts the registry backoff; the open objects stay unwritten and uncommitted.
      Thread.currentThread().interrupt();
    }
  }

  /** False once a record has waited for the schema registry longer than the guard's threshold. */
  public boolean registryHealthy() {
    return registryGuard.healthy();
  }

  /** Stops the loop from another thread; open objects stay unwritten and uncommitted. */
  public void stop() {
    running = false;
    consumer.wakeup();
  }

  private void handle(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    PartitionState state = partitions.computeIfAbsent(tp, p -> new PartitionState());
    if (record.offset() <= state.skipThrough) {
      return;
    }
    CaseChange change;
    try {
      // Kept as its row needs it until the object is written: 50,000 whole changes with their communications fill a heap.
      change = KeptFields.of(privacy.apply(registryGuard.decode(tp, () -> serde.deserialize(record.topic(), record.value()))));
      if (change == null) {
        throw new IllegalArgumentException("a null value (tombstone) is not a change event");
      }
    } catch (RegistryUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      deadLetter(record, e);
      state.handledThrough = record.offset();
      return;
    }
    String day = Timestamps.day(record.timestamp());
    if (state.open != null && rotation.closesBefore(state.open, day, record.timestamp())) {
      write(tp, state);
    }
    if (state.skipThrough >= record.offset()) {
      return;
    }
    if (state.open == null) {
      state.open = new OpenFile(day, record.timestamp());
    }
    state.open.append(new ChangeRow(record.topic(), record.partition(), record.offset(), record.timestamp(), change), clock.millis());
    state.handledThrough = record.offset();
    if (rotation.full(state.open)) {
      write(tp, state);
    }
  }

  /**
   * Writes the open objects of partitions that had nothing new for the idle time. A partition that
   * just received records is not idle, however long another partition's upload kept this thread.
   */
  private void flushIdle(Set<TopicPartition> justReceived) {
    long now = clock.millis();
    for (var entry : partitions.entrySet()) {
      OpenFile open = entry.getValue().open;
      if (open != null && !justReceived.contains(entry.getKey()) && rotation.idle(open, now)) {
        write(entry.getKey(), entry.getValue());
      }
    }
  }

  private void write(TopicPartition tp, PartitionState state) {
    OpenFile file = state.open;
    long storedThrough = uploader.write(tp.topic(), tp.partition(), file.day, file.rows);
    state.open = null;
    if (storedThrough > file.endOffset()) {
      // An object from before a crash reaches further than this replay has read: jump past it.
      state.skipThrough = storedThrough;
      state.handledThrough = Math.max(state.handledThrough, storedThrough);
      if (consumer.position(tp) <= storedThrough) {
        consumer.seek(tp, storedThrough + 1);
      }
    }
  }

  private void commit() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    long lag = 0;
    for (var entry : partitions.entrySet()) {
      PartitionState state = entry.getValue();
      long committable = state.committable();
      if (committable > state.committed && committable > 0) {
        offsets.put(entry.getKey(), new OffsetAndMetadata(committable));
      }
      if (state.open != null) {
        lag += state.open.rows.size();
      }
    }
    uncommittedRecords.set(lag);
    if (!offsets.isEmpty()) {
      try {
        consumer.commitSync(offsets);
        offsets.forEach((tp, offset) -> partitions.get(tp).committed = offset.offset());
      } catch (CommitFailedException | RebalanceInProgressException e) {
        // The group moved on: whoever owns these partitions now replays from the last commit and
        // meets the objects written here by name, so nothing is lost or written twice.
        LOG.warn("change history: commit refused during a rebalance ({}); the partitions' next owner continues", e.toString());
      }
    }
  }

  private void deadLetter(ConsumerRecord<byte[], byte[]> record, RuntimeException cause) {
    LOG.warn("change at {}-{}@{} cannot be converted, sent to the dead-letter topic: {}",
        record.topic(), record.partition(), record.offset(), cause.toString());
    ProducerRecord<byte[], byte[]> letter = DeadLetters.of(record, "cannot convert to a history row: " + cause.getMessage(), cause,
        FAILED_BY, clock.instant());
    try {
      // Synchronously: the record's offset may be committed right after.
      deadLetterProducer.send(new ProducerRecord<>(deadLetterTopic, null, letter.key(), letter.value(), letter.headers()))
          .get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot write to the dead-letter topic " + deadLetterTopic + ": " + e.getMessage(), e);
    }
  }
}
