package io.casefeed.collector.poll;

import io.casefeed.collector.metrics.CollectorMetrics;
import io.casefeed.collector.ratelimit.RateLimits;
import io.casefeed.common.retry.Backoff;
import io.casefeed.common.retry.Retrier;
import io.casefeed.common.time.Sleeper;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Makes one AWS call within the rate limits, retrying throttles, 5xx and connection failures with
 * exponential backoff and full jitter up to a bound of attempts (the common {@link Retrier}).
 */
public final class CallRunner {

  private final RateLimits limits;
  private final CollectorMetrics metrics;
  private final Retrier retrier;

  public CallRunner(RateLimits limits, CollectorMetrics metrics, int maxAttempts, Duration base, Duration max,
      RandomGenerator random, Sleeper sleeper) {
    this.limits = limits;
    this.metrics = metrics;
    this.retrier = new Retrier(Backoff.fullJitter(maxAttempts, base, max), AwsFailures::isRetryable, sleeper, random);
  }

  public CallRunner(RateLimits limits, CollectorMetrics metrics, int maxAttempts, Duration base, Duration max) {
    this(limits, metrics, maxAttempts, base, max, RandomGenerator.getDefault(), Sleeper.SYSTEM);
  }

  /**
   * @param accountLimited whether the call counts against the account's own bucket (Support calls)
   *     or only the global one (AssumeRole, which STS limits per caller)
   * @param counter told of every attempt, so the poll can report the calls it made
   */
  public <T> T call(String accountId, String operation, boolean accountLimited, Supplier<T> call, Runnable counter)
      throws PollFailure, InterruptedException {
    try {
      return retrier.call(() -> {
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
          if (AwsFailures.isThrottling(e)) {
            metrics.throttled(operation);
          }
          throw e;
        }
      }, (failedAttempts, failure, pause) -> metrics.retried(operation));
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      throw new PollFailure(AwsFailures.outcomeOf(e), AwsFailures.reasonOf(operation, e), e);
    }
  }
}
