package io.casefeed.notifier.schedule;

import java.time.Duration;
import java.time.Instant;

/** Fires at every multiple of {@code interval} since the epoch. */
record IntervalSchedule(String expression, Duration interval) implements DigestSchedule {

  @Override
  public Instant latestFireAtOrBefore(Instant time) {
    long step = interval.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(time.toEpochMilli(), step) * step);
  }

  @Override
  public Instant nextFireAfter(Instant time) {
    return latestFireAtOrBefore(time).plus(interval);
  }
}
