package io.casefeed.common.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.casefeed.common.time.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetrierTest {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private final MutableClock clock = new MutableClock(START);

  @Test
  void retriesUntilSuccessPausingOnTheClockWithDoublingCappedPauses() throws Exception {
    Retrier retrier = new Retrier(new Backoff(5, Duration.ofMillis(100), Duration.ofMillis(300), Backoff.Jitter.NONE),
        e -> e instanceof IllegalStateException, clock);
    AtomicInteger attempts = new AtomicInteger();
    List<Integer> told = new ArrayList<>();
    String result = retrier.call(() -> {
      if (attempts.incrementAndGet() < 4) {
        throw new IllegalStateException("busy");
      }
      return "done";
    }, (failed, failure, pause) -> told.add(failed));

    assertThat(result).isEqualTo("done");
    assertThat(attempts).hasValue(4);
    assertThat(told).containsExactly(1, 2, 3);
    assertThat(clock.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300));
    assertThat(clock.instant()).isEqualTo(START.plusMillis(600));
  }

  @Test
  void stopsAtOnceOnAFailureThatIsNotRetryable() {
    Retrier retrier = new Retrier(Backoff.fullJitter(5, Duration.ofMillis(100), Duration.ofSeconds(1)),
        e -> e instanceof IllegalStateException, clock);
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(() -> retrier.call(() -> {
      attempts.incrementAndGet();
      throw new IOException("refused");
    }, Retrier.Listener.NONE)).isInstanceOf(IOException.class).hasMessage("refused");
    assertThat(attempts).hasValue(1);
    assertThat(clock.sleeps()).isEmpty();
  }

  @Test
  void rethrowsTheLastFailureWhenTheAttemptsAreUsedUp() {
    Retrier retrier = new Retrier(Backoff.fullJitter(3, Duration.ofMillis(100), Duration.ofSeconds(1)), e -> true, clock);
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(() -> retrier.call(() -> {
      throw new IllegalStateException("attempt " + attempts.incrementAndGet());
    })).hasMessage("attempt 3");
    assertThat(clock.sleeps()).hasSize(2);
  }

  @Test
  void fullJitterDrawsEachPauseBelowTheDoublingCeiling() throws Exception {
    Backoff backoff = Backoff.fullJitter(8, Duration.ofMillis(100), Duration.ofMillis(1_000));
    Retrier retrier = new Retrier(backoff, e -> true, clock, new SplittableRandom(7));
    AtomicInteger attempts = new AtomicInteger();
    retrier.call(() -> {
      if (attempts.incrementAndGet() < 8) {
        throw new IllegalStateException("busy");
      }
      return null;
    });
    List<Duration> sleeps = clock.sleeps();
    assertThat(sleeps).hasSize(7);
    for (int retry = 1; retry <= 7; retry++) {
      assertThat(sleeps.get(retry - 1)).isBetween(Duration.ZERO, backoff.ceiling(retry));
    }
    assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.ceiling(4)).isEqualTo(Duration.ofMillis(800));
    assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofMillis(1_000));
    assertThat(backoff.ceiling(200)).isEqualTo(Duration.ofMillis(1_000));
    // Full, not "equal", jitter: some pause falls in the lower half of its ceiling.
    assertThat(sleeps.stream().anyMatch(p -> p.multipliedBy(2).compareTo(backoff.ceiling(sleeps.indexOf(p) + 1)) < 0)).isTrue();
  }

  @Test
  void neverRetriesAnInterruption() {
    Retrier retrier = new Retrier(Backoff.fullJitter(5, Duration.ofMillis(100), Duration.ofSeconds(1)), e -> true, clock);
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(() -> retrier.call(() -> {
      attempts.incrementAndGet();
      throw new InterruptedException("stop");
    }, Retrier.Listener.NONE)).isInstanceOf(InterruptedException.class);
    assertThat(attempts).hasValue(1);
  }
}
