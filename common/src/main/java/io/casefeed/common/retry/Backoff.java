package io.casefeed.common.retry;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often and how long to wait between attempts: exponential from {@code initial}, doubling per
 * retry, never above {@code max}; with {@link Jitter#FULL} the pause is drawn uniformly from zero
 * to that ceiling, so that many callers throttled at once do not return in step.
 *
 * @param maxAttempts attempts in all, the first one included (1 = no retry)
 */
public record Backoff(int maxAttempts, Duration initial, Duration max, Jitter jitter) {

  /** Whether pauses are exact (a mail's doubling pauses) or drawn at random below the ceiling. */
  public enum Jitter { NONE, FULL }

  public Backoff {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (initial.isNegative() || max.isNegative()) {
      throw new IllegalArgumentException("backoff pauses must not be negative");
    }
  }

  /** Exponential backoff with full jitter, the default for calls to AWS. */
  public static Backoff fullJitter(int maxAttempts, Duration initial, Duration max) {
    return new Backoff(maxAttempts, initial, max, Jitter.FULL);
  }

  /** The upper bound of the pause before retry number {@code retry} (1 = the first retry). */
  public Duration ceiling(int retry) {
    long initialMs = initial.toMillis();
    long maxMs = max.toMillis();
    int shift = Math.max(0, retry - 1);
    // Shifted only while it cannot overflow; beyond that the cap is reached anyway.
    long ceiling = shift >= 62 || initialMs > (maxMs >> shift) ? maxMs : Math.min(maxMs, initialMs << shift);
    return Duration.ofMillis(ceiling);
  }

  /** The pause before retry number {@code retry} (1 = the first retry). */
  public Duration pause(int retry, RandomGenerator random) {
    long ceiling = ceiling(retry).toMillis();
    return jitter == Jitter.FULL ? Duration.ofMillis(random.nextLong(ceiling + 1)) : Duration.ofMillis(ceiling);
  }
}
