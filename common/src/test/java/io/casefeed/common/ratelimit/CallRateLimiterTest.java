package io.casefeed.common.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.common.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CallRateLimiterTest {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void allowsTheBurstAtOnceThenWaitsOneIntervalPerCall() throws Exception {
    MutableClock clock = new MutableClock(START);
    CallRateLimiter limiter = new CallRateLimiter(5.0, 3, clock, clock);
    for (int i = 0; i < 3; i++) {
      limiter.acquire();
    }
    assertThat(clock.instant()).isEqualTo(START);
    limiter.acquire();
    limiter.acquire();
    // 5 per second: each call beyond the burst waits 200 ms.
    assertThat(clock.sleeps()).containsExactly(Duration.ofMillis(200), Duration.ofMillis(200));
    assertThat(clock.instant()).isEqualTo(START.plusMillis(400));
  }

  @Test
  void refillsWhileIdleButNeverAboveTheBurst() {
    MutableClock clock = new MutableClock(START);
    CallRateLimiter limiter = new CallRateLimiter(10.0, 2, clock, clock);
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isFalse();
    clock.advance(Duration.ofMillis(100));
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isFalse();
    clock.advance(Duration.ofMinutes(1));
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isFalse();
  }

  @Test
  void aFractionalRateIsKept() throws Exception {
    MutableClock clock = new MutableClock(START);
    CallRateLimiter limiter = new CallRateLimiter(0.5, 1, clock, clock);
    limiter.acquire();
    limiter.acquire();
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(2));
  }
}
