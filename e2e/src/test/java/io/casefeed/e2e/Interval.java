package io.casefeed.e2e;

import java.time.Duration;
import java.time.Instant;

/** A span of wall-clock time, [from, to). */
record Interval(Instant from, Instant to) {

  Interval {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("interval ends before it starts: " + from + " .. " + to);
    }
  }

  Duration length() {
    return Duration.between(from, to);
  }
}
