package io.casefeed.bench.soak;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The soak's bookkeeping, free of Kafka and S3 so it can be tested alone: the changes local-cloud
 * made (the ground truth), the events the change feed delivered and the rows S3 received, and from
 * them what was lost, what was duplicated and how long each change took to arrive.
 *
 * <p>A change had to arrive when its state lasted at least {@code observable} (a state shorter than
 * a fast poll may be overwritten before any poll sees it: that is the documented contract, not a
 * loss). Changes are matched to feed states in order, per case.
 */
final class SoakAccounting {

  /** One change of one case in local-cloud, as a fingerprint of what a user sees. */
  record Change(String fingerprint, Instant at) {}

  /** One event of the change feed, with when the benchmark's consumer received it. */
  record FeedEvent(String eventId, long version, String fingerprint, Instant observedAt, Instant receivedAt) {}

  /** Latency percentiles in milliseconds; {@code count} is how many changes were measured. */
  record Latencies(int count, long p50, long p99, long max) {
    static Latencies of(List<Long> millis) {
      if (millis.isEmpty()) {
        return new Latencies(0, 0, 0, 0);
      }
      List<Long> sorted = new ArrayList<>(millis);
      Collections.sort(sorted);
      return new Latencies(sorted.size(), percentile(sorted, 50), percentile(sorted, 99), sorted.get(sorted.size() - 1));
    }

    private static long percentile(List<Long> sorted, int p) {
      int rank = (int) Math.ceil(p / 100.0 * sorted.size());
      return sorted.get(Math.max(0, rank - 1));
    }
  }

  /**
   * @param changes changes made, the ones that had to arrive among them ({@code required})
   * @param lostOnFeed required changes whose state never reached the feed
   * @param lostInS3 feed events that no S3 object holds
   * @param duplicated feed events repeating a version or a state of their case, plus extra S3 rows of one event
   * @param announcedFeed the feed latency of the changes an AWS Support event announced (all 0 without events)
   */
  record Result(long changes, long required, long lostOnFeed, long lostInS3, long duplicated, Latencies feed,
                Latencies announcedFeed, Latencies s3, List<String> examples) {
    long lost() {
      return lostOnFeed + lostInS3;
    }
  }

  private static final int EXAMPLES = 10;

  private final Map<String, List<Change>> truth = new HashMap<>();
  private final Map<String, String> lastFingerprint = new HashMap<>();
  private final Map<String, List<FeedEvent>> feed = new HashMap<>();
  private final Map<String, Instant> firstInS3 = new HashMap<>();
  private final Map<String, List<String>> s3Objects = new HashMap<>();
  private long changes;
  private long rewrittenObjects;

  /** How a case looked when measuring began: not a change, but what the first change is compared with. */
  synchronized void initially(String caseKey, String fingerprint) {
    lastFingerprint.putIfAbsent(caseKey, fingerprint);
  }

  /** A change made to {@code caseKey}; one that leaves what a user sees as it was is no change. */
  synchronized void change(String caseKey, String fingerprint, Instant at) {
    if (fingerprint.equals(lastFingerprint.put(caseKey, fingerprint))) {
      return;
    }
    truth.computeIfAbsent(caseKey, k -> new ArrayList<>()).add(new Change(fingerprint, at));
    changes++;
  }

  synchronized void feedEvent(String caseKey, FeedEvent event) {
    feed.computeIfAbsent(caseKey, k -> new ArrayList<>()).add(event);
  }

  /**
   * An S3 history object as it is now, with the event ids of its rows. A key read again with other
   * content was rewritten (a sink replaying after a crash or rebalance writes the same key again);
   * the bucket's content, not every version ever listed, is what must hold each event once.
   */
  synchronized void s3Object(String key, List<String> eventIds, Instant listedAt) {
    List<String> before = s3Objects.put(key, List.copyOf(eventIds));
    if (before != null && !before.equals(eventIds)) {
      rewrittenObjects++;
    }
    eventIds.forEach(id -> firstInS3.putIfAbsent(id, listedAt));
  }

  /** An object no longer in the bucket. */
  synchronized void s3ObjectGone(String key) {
    s3Objects.remove(key);
  }

  synchronized long rewrittenObjects() {
    return rewrittenObjects;
  }

  synchronized long changes() {
    return changes;
  }

  synchronized long feedEvents() {
    return feed.values().stream().mapToLong(List::size).sum();
  }

  synchronized long s3Rows() {
    return s3Objects.values().stream().mapToLong(List::size).sum();
  }

  /**
   * The verdict once changes stopped at {@code changesStoppedAt} and the pipeline had time to drain:
   * the last state of every case lasted until then.
   */
  synchronized Result result(Instant changesStoppedAt, Duration observable) {
    return result(changesStoppedAt, observable, (caseKey, at) -> false);
  }

  /**
   * As {@link #result(Instant, Duration)}, with the feed latency of the changes {@code announced}
   * says an AWS Support event was sent for (by case key and the change's time) measured apart too.
   */
  synchronized Result result(Instant changesStoppedAt, Duration observable, BiPredicate<String, Instant> announced) {
    long required = 0;
    long lostOnFeed = 0;
    List<String> examples = new ArrayList<>();
    Map<String, Integer> rowsOfEvent = new HashMap<>();
    s3Objects.values().forEach(ids -> ids.forEach(id -> rowsOfEvent.merge(id, 1, Integer::sum)));
    long duplicated = 0;
    for (var rows : rowsOfEvent.entrySet()) {
      if (rows.getValue() > 1) {
        duplicated += rows.getValue() - 1;
        example(examples, "event " + rows.getKey() + " in " + rows.getValue() + " S3 rows");
      }
    }
    List<Long> feedLatencies = new ArrayList<>();
    List<Long> announcedLatencies = new ArrayList<>();
    List<Long> s3Latencies = new ArrayList<>();
    for (var entry : feed.entrySet()) {
      duplicated += duplicatesOf(entry.getKey(), entry.getValue(), examples);
    }
    for (var entry : truth.entrySet()) {
      List<Change> history = entry.getValue();
      List<List<FeedEvent>> states = statesOf(feed.getOrDefault(entry.getKey(), List.of()));
      int next = 0;
      for (int i = 0; i < history.size(); i++) {
        Change change = history.get(i);
        Instant end = i + 1 < history.size() ? history.get(i + 1).at() : changesStoppedAt;
        boolean mustArrive = Duration.between(change.at(), end).compareTo(observable) >= 0;
        required += mustArrive ? 1 : 0;
        int found = -1;
        for (int k = next; k < states.size(); k++) {
          FeedEvent first = states.get(k).get(0);
          if (first.fingerprint().equals(change.fingerprint()) && !first.receivedAt().isBefore(change.at())) {
            found = k;
            break;
          }
        }
        if (found < 0) {
          if (mustArrive) {
            lostOnFeed++;
            example(examples, entry.getKey() + " state " + change.fingerprint() + " of " + change.at() + " never on the feed");
          }
          continue;
        }
        FeedEvent arrived = states.get(found).get(0);
        long latency = Duration.between(change.at(), arrived.receivedAt()).toMillis();
        feedLatencies.add(latency);
        if (announced.test(entry.getKey(), change.at())) {
          announcedLatencies.add(latency);
        }
        Instant inS3 = firstInS3.get(arrived.eventId());
        if (inS3 != null) {
          s3Latencies.add(Math.max(0, Duration.between(change.at(), inS3).toMillis()));
        }
        next = found + 1;
      }
    }
    long lostInS3 = 0;
    for (var entry : feed.entrySet()) {
      for (FeedEvent event : entry.getValue()) {
        if (!rowsOfEvent.containsKey(event.eventId())) {
          lostInS3++;
          example(examples, entry.getKey() + " event " + event.eventId() + " not in any S3 object");
        }
      }
    }
    return new Result(changes, required, lostOnFeed, lostInS3, duplicated, Latencies.of(feedLatencies),
        Latencies.of(announcedLatencies), Latencies.of(s3Latencies), List.copyOf(examples));
  }

  /** Versions of a case seen twice, and a state reported again by a later observation. */
  private static long duplicatesOf(String caseKey, List<FeedEvent> events, List<String> examples) {
    long duplicates = 0;
    Set<Long> versions = new HashSet<>();
    for (FeedEvent event : events) {
      if (!versions.add(event.version())) {
        duplicates++;
        example(examples, caseKey + " version " + event.version() + " delivered again");
      }
    }
    List<List<FeedEvent>> states = statesOf(events);
    for (int i = 1; i < states.size(); i++) {
      if (states.get(i).get(0).fingerprint().equals(states.get(i - 1).get(0).fingerprint())) {
        duplicates++;
        example(examples, caseKey + " state " + states.get(i).get(0).fingerprint() + " reported again");
      }
    }
    return duplicates;
  }

  /**
   * The feed's events of one case grouped by the observation that made them: one observation can
   * make several events (a reply and the status move it caused) that end in the same state.
   */
  private static List<List<FeedEvent>> statesOf(List<FeedEvent> events) {
    List<List<FeedEvent>> states = new ArrayList<>();
    for (FeedEvent event : events) {
      List<FeedEvent> last = states.isEmpty() ? null : states.get(states.size() - 1);
      FeedEvent previous = last == null ? null : last.get(last.size() - 1);
      if (previous != null && previous.observedAt().equals(event.observedAt()) && previous.fingerprint().equals(event.fingerprint())) {
        last.add(event);
      } else {
        List<FeedEvent> state = new ArrayList<>();
        state.add(event);
        states.add(state);
      }
    }
    return states;
  }

  private static void example(List<String> examples, String what) {
    if (examples.size() < EXAMPLES) {
      examples.add(what);
    }
  }
}
