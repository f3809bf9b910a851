package io.casefeed.collector.ratelimit;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket that hands out reservations: each caller takes a token now, possibly going into
 * debt, and learns how long to wait before using it. Callers are thus served in arrival order and
 * the long-run rate never exceeds {@code perSecond}, with at most {@code burst} calls at once after
 * an idle spell.
 */
public final class TokenBucket {

  private final double perSecond;
  private final double burst;
  private final LongSupplier nanoTime;
  private double tokens;
  private long lastRefill;

  public TokenBucket(double perSecond, int burst, LongSupplier nanoTime) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.lastRefill = nanoTime.getAsLong();
  }

  public TokenBucket(double perSecond, int burst) {
    this(perSecond, burst, System::nanoTime);
  }

  /** Takes one token; returns the nanoseconds the caller must wait before making its call. */
  public synchronized long reserve() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(burst, tokens + (now - lastRefill) * perSecond / 1e9);
    lastRefill = now;
    tokens -= 1;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perSecond * 1e9);
  }

  /** Takes one token and sleeps until it may be used. */
  public void acquire() throws InterruptedException {
    long wait = reserve();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }
}
