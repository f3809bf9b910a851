package io.casefeed.common.time;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waiting, the other half of the time seam beside the injected {@link java.time.Clock}: production
 * code never calls {@code Thread.sleep} itself, so a test passes a {@code MutableClock} (common's test-jar), which
 * "sleeps" by moving its own time, and backoff or scheduling is observed without being waited for.
 */
@FunctionalInterface
public interface Sleeper {

  /** Really waits; a zero or negative pause returns at once. */
  Sleeper SYSTEM = pause -> {
    if (pause.compareTo(Duration.ZERO) > 0) {
      TimeUnit.NANOSECONDS.sleep(pause.toNanos());
    }
  };

  void sleep(Duration pause) throws InterruptedException;
}
