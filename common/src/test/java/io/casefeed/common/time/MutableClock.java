package io.casefeed.common.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A UTC clock moved by hand, and a {@link Sleeper} that moves it instead of waiting: tests play
 * backoff, idle flushing or a scripted day in microseconds. It lives in main (not in a test jar)
 * because every module's tests use it and it carries no dependency.
 */
public final class MutableClock extends Clock implements Sleeper {

  private volatile Instant now;
  private final List<Duration> sleeps = new ArrayList<>();

  public MutableClock(Instant start) {
    this.now = start;
  }

  public synchronized void set(Instant instant) {
    now = instant;
  }

  public synchronized void advance(Duration duration) {
    now = now.plus(duration);
  }

  /** Moves the clock by the pause, at once, and remembers the pause. */
  @Override
  public synchronized void sleep(Duration pause) {
    sleeps.add(pause);
    if (pause.compareTo(Duration.ZERO) > 0) {
      now = now.plus(pause);
    }
  }

  /** Every pause asked of {@link #sleep}, in order. */
  public synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
