package io.casefeed.notifier.follow;

import io.casefeed.common.kafka.TopicReader;
import io.casefeed.notifier.resend.FailedMailCodec;
import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.SweepRecord;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.schemas.serde.RegistryOutageGuard;
import io.casefeed.schemas.serde.RegistryUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the topics the notifier follows, on its one consumer, and hands each record decoded as a
 * {@link NotifierInput} to a handler: first a catch-up to where the topics end at start (accounts,
 * cases and the kept failed mails from their beginning, sweeps and the change feed from a time),
 * then one poll at a time. A record that waits for the schema registry is read again, in order, at
 * the next poll ({@link RegistryOutageGuard}); a record that cannot be read is dead-lettered.
 */
public final class TopicFollower {

  /** The topic names of one deployment (prefix applied). */
  public record FollowedTopics(String accounts, String cases, String sweeps, String changes, String resends) {}

  /** Decoders of the Avro topics. */
  public record Decoders(AvroSerde<AccountRecord> accounts, AvroSerde<CaseState> cases, AvroSerde<SweepRecord> sweeps,
      AvroSerde<CaseChange> changes) {}

  private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
  /** Catching up at start may take long on a big cluster, but never forever. */
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration POLL = Duration.ofMillis(200);

  private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer;
  private final FollowedTopics topics;
  private final Decoders decoders;
  private final RegistryOutageGuard registryGuard;
  private final Clock clock;
  private final MeterRegistry meters;
  private final String topicPrefix;
  private final BiConsumer<ConsumerRecord<byte[], byte[]>, RuntimeException> deadLetters;
  private final Consumer<NotifierInput> handler;
  /** Partitions sought back to a record that waits for the schema registry, and that record's offset. */
  private final Map<TopicPartition, Long> waitingForRegistry = new HashMap<>();

  /**
   * @param topicPrefix taken off topic names in the metric {@code casefeed.notifier.records.read{topic}}
   * @param deadLetters sends a record that cannot be read to the dead-letter topic, with why
   */
  public TopicFollower(org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer, FollowedTopics topics,
      Decoders decoders, RegistryOutageGuard registryGuard, Clock clock, MeterRegistry meters, String topicPrefix,
      BiConsumer<ConsumerRecord<byte[], byte[]>, RuntimeException> deadLetters, Consumer<NotifierInput> handler) {
    this.consumer = consumer;
    this.topics = topics;
    this.decoders = decoders;
    this.registryGuard = registryGuard;
    this.clock = clock;
    this.meters = meters;
    this.topicPrefix = topicPrefix;
    this.deadLetters = deadLetters;
    this.handler = handler;
  }

  /**
   * Assigns every followed partition and reads to the end offsets as of now: the compacted topics
   * whole, the sweeps from {@code sweepsFrom} and the change feed from {@code changesFrom}.
   */
  public void catchUp(Instant changesFrom, Instant sweepsFrom, Duration timeout, BooleanSupplier running) {
    Map<TopicPartition, Long> seekTimes = new HashMap<>();
    List<TopicPartition> partitions = new ArrayList<>();
    List<TopicPartition> fromBeginning = new ArrayList<>();
    for (String topic : List.of(topics.accounts(), topics.cases(), topics.sweeps(), topics.changes(), topics.resends())) {
      for (TopicPartition tp : TopicReader.partitionsOf(consumer, topic, timeout)) {
        partitions.add(tp);
        if (topic.equals(topics.sweeps())) {
          seekTimes.put(tp, sweepsFrom.toEpochMilli());
        } else if (topic.equals(topics.changes())) {
          seekTimes.put(tp, changesFrom.toEpochMilli());
        } else {
          fromBeginning.add(tp);
        }
      }
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(fromBeginning);
    Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(seekTimes, timeout);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
    offsets.forEach((tp, offset) -> consumer.seek(tp, offset == null ? ends.get(tp) : offset.offset()));
    while (true) {
      try {
        TopicReader.readToEnd(consumer, partitions, CATCH_UP_TIMEOUT, clock, running, this::applyOrDeadLetter);
        return;
      } catch (TimeoutException e) {
        if (!registryGuard.waiting()) {
          throw e;
        }
        // Behind because records wait for the schema registry, not because Kafka is slow: keep reading.
        LOG.warn("catch-up still waits for the schema registry after {}; reading on", CATCH_UP_TIMEOUT);
      }
    }
  }

  /** Reads what arrived since the last poll. */
  public void poll() {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
      applyOrDeadLetter(record);
    }
  }

  private void applyOrDeadLetter(ConsumerRecord<byte[], byte[]> record) {
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    Long waitingAt = waitingForRegistry.get(tp);
    if (waitingAt != null) {
      if (record.offset() != waitingAt) {
        return; // behind a record that waits for the registry: read again after it
      }
      waitingForRegistry.remove(tp);
      registryGuard.nextPoll();
    }
    try {
      handler.accept(decode(record));
      countRead(record);
    } catch (RegistryUnavailableException e) {
      // Not the record's fault: read it again at the next poll, after this round's backoff.
      LOG.debug("record {}-{}@{} waits for the schema registry: {}", record.topic(), record.partition(), record.offset(),
          e.getMessage());
      consumer.seek(tp, record.offset());
      waitingForRegistry.put(tp, record.offset());
    } catch (RuntimeException e) {
      countRead(record);
      deadLetters.accept(record, e);
    }
  }

  /** The record as the notifier's input; a topic it does not follow is a bug, not a bad record. */
  private NotifierInput decode(ConsumerRecord<byte[], byte[]> record) {
    String topic = record.topic();
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    if (topic.equals(topics.cases())) {
      return new NotifierInput.CaseUpdate(key, decode(record, decoders.cases()));
    } else if (topic.equals(topics.accounts())) {
      return new NotifierInput.AccountUpdate(key, decode(record, decoders.accounts()));
    } else if (topic.equals(topics.sweeps())) {
      return new NotifierInput.Sweep(decode(record, decoders.sweeps()));
    } else if (topic.equals(topics.changes())) {
      return new NotifierInput.Change(decode(record, decoders.changes()));
    } else if (topic.equals(topics.resends())) {
      if (key == null) {
        throw new IllegalArgumentException("a kept failed mail without a key (its mail id)");
      }
      return new NotifierInput.KeptMail(key, record.value() == null ? null : FailedMailCodec.decode(record.value()));
    }
    throw new IllegalStateException("the notifier does not follow " + topic);
  }

  private <T extends SpecificRecord> T decode(ConsumerRecord<byte[], byte[]> record, AvroSerde<T> serde) {
    try {
      return registryGuard.decode(new TopicPartition(record.topic(), record.partition()),
          () -> serde.deserialize(record.topic(), record.value()));
    } catch (InterruptedException e) {
      // The record waits like in an outage; the next poll sees the interrupt and stops the notifier.
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException("interrupted while waiting for the schema registry", e);
    }
  }

  /** Counted once handled, so a record that waited for the registry is not counted at every attempt. */
  private void countRead(ConsumerRecord<byte[], byte[]> record) {
    meters.counter("casefeed.notifier.records.read", "topic", record.topic().substring(topicPrefix.length())).increment();
  }
}
