package io.casefeed.collector.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  @Test
  void burstIsFreeThenCallsAreSpacedByTheRate() {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    TokenBucket bucket = new TokenBucket(5.0, 3, now::get);
    assertThat(bucket.reserve()).isZero();
    assertThat(bucket.reserve()).isZero();
    assertThat(bucket.reserve()).isZero();
    // Fourth and fifth callers queue behind one another at 200 ms per token.
    assertThat(bucket.reserve()).isEqualTo(200_000_000L);
    assertThat(bucket.reserve()).isEqualTo(400_000_000L);
    now.addAndGet(400_000_000L);
    assertThat(bucket.reserve()).isEqualTo(200_000_000L);
  }

  @Test
  void idleTimeRefillsNoMoreThanTheBurst() {
    AtomicLong now = new AtomicLong();
    TokenBucket bucket = new TokenBucket(10.0, 2, now::get);
    bucket.reserve();
    bucket.reserve();
    now.addAndGet(60_000_000_000L);
    assertThat(bucket.reserve()).isZero();
    assertThat(bucket.reserve()).isZero();
    assertThat(bucket.reserve()).isEqualTo(100_000_000L);
  }
}
