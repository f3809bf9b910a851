package io.casefeed.collector.poll;

import io.casefeed.collector.publish.DeadLetterLog;
import io.casefeed.collector.publish.ObservationSink;
import io.casefeed.collector.publish.ObservationSink.UnreadableItem;
import io.casefeed.collector.publish.ReadingLog;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.SweepRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what the poller publishes, for unit tests. */
final class MemorySink implements ObservationSink, ReadingLog, DeadLetterLog {

  final List<CaseObservation> observations = new CopyOnWriteArrayList<>();
  final List<SweepRecord> sweeps = new CopyOnWriteArrayList<>();
  final List<UnreadableItem> unreadable = new CopyOnWriteArrayList<>();
  final List<UnreadableItem> unreadableAgain = new CopyOnWriteArrayList<>();
  final Set<String> read = ConcurrentHashMap.newKeySet();
  /** The dead-letter log: the keys a restarted collector would read back from its compacted topic, with when. */
  final Map<String, Instant> deadLetterLog = new ConcurrentHashMap<>();
  /** How many of the next dead letters fail to be stored, as when Kafka refuses them. */
  int failNextUnreadable;

  @Override
  public CompletableFuture<Void> observation(CaseObservation observation) {
    observations.add(observation);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> sweep(SweepRecord sweep) {
    sweeps.add(sweep);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> unreadable(UnreadableItem item) {
    if (failNextUnreadable > 0) {
      failNextUnreadable--;
      return CompletableFuture.failedFuture(new IllegalStateException("dead-letter topic unavailable"));
    }
    unreadable.add(item);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void unreadableAgain(UnreadableItem item) {
    unreadableAgain.add(item);
  }

  @Override
  public boolean hasBeenRead(String accountId) {
    return read.contains(accountId);
  }

  @Override
  public void markRead(SweepRecord firstCompleteSweep) {
    read.add(firstCompleteSweep.getAccountId());
  }

  @Override
  public boolean wasStored(String accountId, String key) {
    return key.startsWith(accountId + ":") && deadLetterLog.containsKey(key);
  }

  @Override
  public void stored(String accountId, String key, Instant deadLetteredAt) {
    deadLetterLog.put(key, deadLetteredAt);
  }
}
