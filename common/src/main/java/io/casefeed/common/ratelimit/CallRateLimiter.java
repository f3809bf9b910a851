package io.casefeed.common.ratelimit;

import io.casefeed.common.time.Sleeper;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket on Bucket4j: at most {@code perSecond} calls in the long run, at most {@code burst}
 * at once after an idle spell. {@link #acquire()} reserves its token at once (going into debt when
 * the bucket is empty) and then waits, so callers are served in arrival order. Time is read from
 * the {@link Clock} and waits go through the {@link Sleeper}: on a {@code MutableClock} (common's
 * test-jar) a test sees the rate without waiting for it.
 */
public final class CallRateLimiter {

  private final double perSecond;
  private final int burst;
  private final Bucket bucket;
  private final Sleeper sleeper;

  public CallRateLimiter(double perSecond, int burst, Clock clock, Sleeper sleeper) {
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.sleeper = sleeper;
    // Bucket4j refills whole tokens per period: "burst tokens every burst/perSecond" is the same
    // rate for a fractional perSecond (0.5/s = 1 token every 2 s), refilled smoothly ("greedy").
    Duration refillPeriod = Duration.ofNanos(Math.max(1, Math.round(burst * 1e9 / perSecond)));
    this.bucket = Bucket.builder()
        .addLimit(limit -> limit.capacity(burst).refillGreedy(burst, refillPeriod))
        .withCustomTimePrecision(new ClockTime(clock))
        .build();
  }

  /** A limiter on the system clock that really waits. */
  public CallRateLimiter(double perSecond, int burst) {
    this(perSecond, burst, Clock.systemUTC(), Sleeper.SYSTEM);
  }

  /** A limiter whose burst is one second's worth of calls (at least one). */
  public static CallRateLimiter perSecond(double perSecond, Clock clock, Sleeper sleeper) {
    return new CallRateLimiter(perSecond, Math.max(1, (int) Math.ceil(perSecond)), clock, sleeper);
  }

  /** Takes one token and waits until it may be used. */
  public void acquire() throws InterruptedException {
    bucket.asBlocking().consume(1, nanos -> sleeper.sleep(Duration.ofNanos(nanos)));
  }

  /** Takes one token if there is one now; never waits. */
  public boolean tryAcquire() {
    return bucket.tryConsume(1);
  }

  public double ratePerSecond() {
    return perSecond;
  }

  public int burst() {
    return burst;
  }

  /** Bucket4j's time source on the injected clock. */
  private record ClockTime(Clock clock) implements TimeMeter {
    @Override
    public long currentTimeNanos() {
      Instant now = clock.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public boolean isWallClockBased() {
      return true;
    }
  }
}
