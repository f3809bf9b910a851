package io.casefeed.common.retry;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import io.casefeed.common.time.Sleeper;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The one retry of casefeed: Failsafe's {@link RetryPolicy} decides whether a failure is retried
 * and how long to pause ({@link Backoff}); the pause goes through the {@link Sleeper}, so unit tests
 * run it on a {@code MutableClock} (common's test-jar). Failsafe's standalone {@link Execution}
 * is used rather than {@code Failsafe.with(..).get(..)} because the latter sleeps by itself.
 *
 * <p>A failure that is not retryable, or the last attempt's failure, is rethrown as it is: each
 * caller keeps its own translation (poll outcome, store access error, mail failure record).
 * An {@link InterruptedException} is never retried.
 */
public final class Retrier {

  /** One attempt of the call. */
  @FunctionalInterface
  public interface Attempt<T, E extends Exception> {
    T run() throws E;
  }

  /** Told before every pause, to log and count retries. */
  @FunctionalInterface
  public interface Listener {
    Listener NONE = (failedAttempts, failure, pause) -> { };

    /**
     * @param failedAttempts attempts made so far, all failed (1 before the first retry)
     */
    void retrying(int failedAttempts, Throwable failure, Duration pause);
  }

  private final Backoff backoff;
  private final Sleeper sleeper;
  private final RetryPolicy<Object> policy;

  /**
   * @param retryable which failures are worth another attempt; others end the call at once
   */
  public Retrier(Backoff backoff, Predicate<Throwable> retryable, Sleeper sleeper, RandomGenerator random) {
    this.backoff = backoff;
    this.sleeper = sleeper;
    this.policy = RetryPolicy.builder()
        .withMaxAttempts(backoff.maxAttempts())
        .handleIf((Throwable failure) -> !(failure instanceof InterruptedException) && retryable.test(failure))
        // getAttemptCount() counts the failed attempts when the delay is asked for: 1 before the first retry.
        .withDelayFn(context -> backoff.pause(context.getAttemptCount(), random))
        .build();
  }

  public Retrier(Backoff backoff, Predicate<Throwable> retryable, Sleeper sleeper) {
    this(backoff, retryable, sleeper, RandomGenerator.getDefault());
  }

  public Backoff backoff() {
    return backoff;
  }

  /**
   * Runs the call until it succeeds, fails for good, or the attempts are used up. A call that
   * succeeds at once makes no retry state: the sink and the notifier decode every record through
   * here, and making Failsafe's execution for each was about 3 % of the sink's CPU samples (JFR,
   * bench sink).
   */
  public <T, E extends Exception> T call(Attempt<T, E> attempt, Listener listener) throws E, InterruptedException {
    Exception failure;
    try {
      return attempt.run();
    } catch (Exception first) {
      failure = first;
    }
    @SuppressWarnings("unchecked")
    Execution<T> execution = Execution.of((RetryPolicy<T>) (RetryPolicy<?>) policy);
    while (true) {
      execution.recordException(failure);
      if (execution.isComplete()) {
        throw rethrow(failure);
      }
      Duration pause = execution.getDelay();
      listener.retrying(execution.getAttemptCount(), failure, pause);
      sleeper.sleep(pause);
      try {
        T result = attempt.run();
        execution.recordResult(result);
        return result;
      } catch (Exception next) {
        failure = next;
      }
    }
  }

  /** {@link #call(Attempt, Listener)} for calls that throw nothing checked. */
  public <T> T call(Attempt<T, RuntimeException> attempt) throws InterruptedException {
    return call(attempt, Listener.NONE);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> E rethrow(Exception failure) throws E {
    if (failure instanceof RuntimeException unchecked) {
      throw unchecked;
    }
    // Only E (or InterruptedException, declared beside it) can arrive here: Attempt.run throws nothing else checked.
    throw (E) failure;
  }
}
