package io.casefeed.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides which ground-truth states the pipeline had to see and matches them against the states the
 * change feed reports, in order.
 */
final class StateHistory {

  private StateHistory() {}

  /**
   * Whether a state had to reach the feed: it lasted, outside every window in which its account could
   * not be read (collector or broker down, AWS faults), at least {@code observable} in one piece.
   */
  static boolean required(StateSpan span, List<Interval> blind, Duration observable) {
    List<Interval> sorted = new ArrayList<>(blind);
    sorted.sort(Comparator.comparing(Interval::from));
    Instant cursor = span.from();
    for (Interval window : sorted) {
      if (!window.to().isAfter(cursor)) {
        continue;
      }
      if (!window.from().isBefore(span.to())) {
        break;
      }
      if (window.from().isAfter(cursor) && Duration.between(cursor, window.from()).compareTo(observable) >= 0) {
        return true;
      }
      cursor = window.to();
      if (!cursor.isBefore(span.to())) {
        return false;
      }
    }
    return Duration.between(cursor, span.to()).compareTo(observable) >= 0;
  }

  /**
   * How many of the required ground-truth states appear in the observed sequence, matched in order
   * (an order-preserving alignment that covers as many required states as possible; states neither
   * required nor observed may be skipped on both sides).
   */
  static int requiredMatchedInOrder(List<String> truth, List<Boolean> requiredFlags, List<String> observed) {
    int[][] best = new int[truth.size() + 1][observed.size() + 1];
    for (int i = 1; i <= truth.size(); i++) {
      for (int j = 1; j <= observed.size(); j++) {
        int skip = Math.max(best[i - 1][j], best[i][j - 1]);
        int match = truth.get(i - 1).equals(observed.get(j - 1))
            ? best[i - 1][j - 1] + (requiredFlags.get(i - 1) ? 1 : 0) : Integer.MIN_VALUE;
        best[i][j] = Math.max(skip, match);
      }
    }
    return best[truth.size()][observed.size()];
  }
}
