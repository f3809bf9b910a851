package io.casefeed.collector.poll;

import io.casefeed.collector.metrics.CollectorMetrics;
import io.casefeed.collector.ratelimit.RateLimits;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Makes one AWS call within the rate limits, retrying throttles, 5xx and connection failures with
 * exponential backoff and full jitter up to a bound of attempts.
 */
public final class CallRunner {

  /** Sleeps; replaced in unit tests so that backoff is observed, not waited for. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  private final RateLimits limits;
  private final CollectorMetrics metrics;
  private final int maxAttempts;
  private final long baseMs;
  private final long maxMs;
  private final RandomGenerator random;
  private final Sleeper sleeper;

  public CallRunner(RateLimits limits, CollectorMetrics metrics, int maxAttempts, Duration base, Duration max,
      RandomGenerator random, Sleeper sleeper) {
    this.limits = limits;
    this.metrics = metrics;
    this.maxAttempts = maxAttempts;
    this.baseMs = base.toMillis();
    this.maxMs = max.toMillis();
    this.random = random;
    this.sleeper = sleeper;
  }

  public CallRunner(RateLimits limits, CollectorMetrics metrics, int maxAttempts, Duration base, Duration max) {
    this(limits, metrics, maxAttempts, base, max, RandomGenerator.getDefault(), TimeUnit.MILLISECONDS::sleep);
  }

  /**
   * @param accountLimited whether the call counts against the account's own bucket (Support calls)
   *     or only the global one (AssumeRole, which STS limits per caller)
   * @param counter told of every attempt, so the poll can report the calls it made
   */
  public <T> T call(String accountId, String operation, boolean accountLimited, Supplier<T> call, Runnable counter)
      throws PollFailure, InterruptedException {
    RuntimeException last = null;
    for (int attempt = 0; attempt < maxAttempts; attempt++) {
      if (attempt > 0) {
        metrics.retried(operation);
        sleeper.sleep(backoffMillis(attempt));
      }
      if (accountLimited) {
        limits.acquireForAccount(accountId);
      } else {
        limits.acquireGlobal();
      }
      counter.run();
      metrics.call(operation);
      try {
        return call.get();
      } catch (RuntimeException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException("interrupted during " + operation);
        }
        last = e;
        if (AwsFailures.isThrottling(e)) {
          metrics.throttled(operation);
        }
        if (!AwsFailures.isRetryable(e)) {
          break;
        }
      }
    }
    throw new PollFailure(AwsFailures.outcomeOf(last), AwsFailures.reasonOf(operation, last), last);
  }

  /** Full jitter: uniform in [0, min(max, base * 2^(attempt-1))]. */
  long backoffMillis(int attempt) {
    long ceiling = Math.min(maxMs, baseMs << Math.min(attempt - 1, 30));
    return random.nextLong(ceiling + 1);
  }
}
