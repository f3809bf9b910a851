package io.casefeed.sink.store;

import java.time.Duration;

/**
 * Exponential backoff with full jitter for transient store failures (5xx, throttling, timeouts,
 * dropped connections).
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  /** The pause before retry number {@code retry} (1 = the first retry). */
  public Duration backoff(int retry, java.util.random.RandomGenerator random) {
    long cap = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(retry - 1, 20));
    return Duration.ofMillis(cap / 2 + random.nextLong(cap / 2 + 1));
  }
}
