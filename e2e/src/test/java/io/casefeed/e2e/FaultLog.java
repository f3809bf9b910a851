package io.casefeed.e2e;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every fault the suite injected, counted by kind, and the windows in which an account could not be
 * read (so a state that lived only then was not required to reach the feed).
 */
final class FaultLog {

  /** The five kinds the suite must inject at least once each. */
  enum Kind {
    COMPONENT_KILL("(a) component SIGKILL + restart"),
    BROKER_RESTART("(b) broker restart"),
    AWS_FAULT("(c) local-cloud AWS fault"),
    S3_FAULT("(d) S3 failure"),
    REGISTRY_OUTAGE("(e) schema registry outage");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** Blind window of one account, or of every account when {@code accountId} is null. */
  private record Blind(String accountId, Interval interval) {}

  private final Map<Kind, Map<String, Integer>> injected = new LinkedHashMap<>();
  private final List<Blind> blind = new ArrayList<>();

  FaultLog() {
    for (Kind kind : Kind.values()) {
      injected.put(kind, new LinkedHashMap<>());
    }
  }

  synchronized void injected(Kind kind, String detail) {
    injected.get(kind).merge(detail, 1, Integer::sum);
  }

  synchronized void blind(String accountIdOrNull, Instant from, Instant to) {
    blind.add(new Blind(accountIdOrNull, new Interval(from, to)));
  }

  synchronized int count(Kind kind) {
    return injected.get(kind).values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Kind to detail (e.g. which component, which AWS fault) to how many times. */
  synchronized Map<Kind, Map<String, Integer>> injected() {
    Map<Kind, Map<String, Integer>> copy = new LinkedHashMap<>();
    injected.forEach((kind, details) -> copy.put(kind, Map.copyOf(details)));
    return copy;
  }

  synchronized List<Interval> blindWindows(String accountId) {
    return blind.stream().filter(b -> b.accountId() == null || b.accountId().equals(accountId)).map(Blind::interval).toList();
  }
}
