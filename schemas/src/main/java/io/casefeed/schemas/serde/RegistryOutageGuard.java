package io.casefeed.schemas.serde;

import io.casefeed.common.retry.Backoff;
import io.casefeed.common.retry.Retrier;
import io.casefeed.common.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decoding that survives a schema registry outage, for a consumer loop that owns its offsets
 * (sink-s3, the notifier). Each decode is retried with the common {@link Retrier} while
 * {@link RegistryFailures#isOutage} says the registry is at fault; when a round of retries is used
 * up, {@link RegistryUnavailableException} tells the loop to seek back to the record and try it on
 * its next poll, so the partition waits and nothing is dead-lettered or skipped. Once a round has
 * failed, the other records of the same poll get one attempt each ({@link #nextPoll()} starts a new
 * round): a poll costs one round of backoff, however many partitions wait.
 *
 * <p>The outage is kept per waiting source (a partition): a record decoded from a cached schema
 * says nothing about the registry, only the waiting record going through does. {@link #healthy()}
 * turns false once a source has waited longer than {@code downAfter}. One consumer thread uses it;
 * {@link #healthy()} may be asked from any thread.
 */
public final class RegistryOutageGuard {

  /** One round: about 7 s of backoff at most, far below any consumer's max.poll.interval.ms. */
  public static final Backoff DEFAULT_BACKOFF = Backoff.fullJitter(4, Duration.ofMillis(250), Duration.ofSeconds(4));
  public static final Duration DEFAULT_DOWN_AFTER = Duration.ofSeconds(60);

  private static final Logger LOG = LoggerFactory.getLogger(RegistryOutageGuard.class);

  private final Retrier retrier;
  private final Clock clock;
  private final Duration downAfter;
  private final Map<Object, Instant> waitingSince = new HashMap<>();
  private volatile Instant oldestWait;
  private boolean roundFailed;

  public RegistryOutageGuard(Backoff backoff, Duration downAfter, Clock clock, Sleeper sleeper) {
    this.retrier = new Retrier(backoff, RegistryFailures::isOutage, sleeper);
    this.clock = clock;
    this.downAfter = downAfter;
  }

  public RegistryOutageGuard(Clock clock, Sleeper sleeper) {
    this(DEFAULT_BACKOFF, DEFAULT_DOWN_AFTER, clock, sleeper);
  }

  /**
   * Decodes one record of {@code source}.
   *
   * @throws RegistryUnavailableException when the registry stayed unavailable: read the record again later
   * @throws RuntimeException what {@code decode} threw for a record that is bad: dead-letter it
   */
  public <T> T decode(Object source, Supplier<T> decode) throws InterruptedException {
    Instant started = clock.instant();
    T value;
    try {
      value = roundFailed ? decode.get() : retrier.call(decode::get, (attempts, failure, pause) ->
          LOG.debug("schema registry unavailable ({}), retry {} of {} in {} ms", failure.getMessage(), attempts,
              retrier.backoff().maxAttempts() - 1, pause.toMillis()));
    } catch (RuntimeException e) {
      if (!RegistryFailures.isOutage(e)) {
        recovered(source);
        throw e;
      }
      roundFailed = true;
      Instant since = waitingSince.get(source);
      if (since == null) {
        since = started;
        waitingSince.put(source, since);
        LOG.warn("schema registry unavailable: {} waits, read again at every poll until the registry answers ({})", source,
            reason(e));
      }
      updateOldest();
      throw new RegistryUnavailableException("schema registry unavailable since " + since + " for " + source + ": "
          + reason(e), e);
    }
    recovered(source);
    return value;
  }

  /** What a consumer loop does with one record; may throw {@link RegistryUnavailableException} from {@link #decode}. */
  @FunctionalInterface
  public interface RecordHandler<K, V> {
    void handle(ConsumerRecord<K, V> record) throws InterruptedException;
  }

  /**
   * Hands the records of one poll to {@code handler} in order, starting the poll's retry round. When a
   * record waits for the registry, its partition is sought back to it and the poll's later records of
   * that partition are skipped: they are read again, in order, at the next poll. Other partitions go on.
   */
  public <K, V> void handlePoll(Consumer<K, V> consumer, ConsumerRecords<K, V> records, RecordHandler<K, V> handler)
      throws InterruptedException {
    nextPoll();
    Set<TopicPartition> waiting = new HashSet<>();
    for (ConsumerRecord<K, V> record : records) {
      TopicPartition tp = new TopicPartition(record.topic(), record.partition());
      if (waiting.contains(tp)) {
        continue;
      }
      try {
        handler.handle(record);
      } catch (RegistryUnavailableException e) {
        // Not the record's fault: nothing after it in its partition is handled, so nothing past it is committed.
        LOG.debug("{} waits at offset {}: {}", tp, record.offset(), e.getMessage());
        consumer.seek(tp, record.offset());
        waiting.add(tp);
      }
    }
  }

  /** Starts the retry round of the next poll. */
  public void nextPoll() {
    roundFailed = false;
  }

  /** The source is no longer this consumer's (a partition revoked): it waits for nothing here any more. */
  public void forget(Object source) {
    if (waitingSince.remove(source) != null) {
      updateOldest();
    }
  }

  /** Whether a record waiting for the registry, if any, has waited less than the threshold. */
  public boolean healthy() {
    Instant oldest = oldestWait;
    return oldest == null || Duration.between(oldest, clock.instant()).compareTo(downAfter) < 0;
  }

  /** Whether some record waits for the registry now. */
  public boolean waiting() {
    return oldestWait != null;
  }

  /** The innermost message: the registry's own words rather than the serde's wrapping. */
  private static String reason(Throwable error) {
    Throwable innermost = error;
    while (innermost.getCause() != null && innermost.getCause() != innermost) {
      innermost = innermost.getCause();
    }
    return innermost == error ? String.valueOf(error.getMessage()) : error.getMessage() + " (" + innermost + ")";
  }

  private void recovered(Object source) {
    Instant since = waitingSince.remove(source);
    if (since != null) {
      LOG.info("schema registry available again for {} after {}", source, Duration.between(since, clock.instant()));
      updateOldest();
    }
  }

  private void updateOldest() {
    oldestWait = waitingSince.values().stream().min(Instant::compareTo).orElse(null);
  }
}
