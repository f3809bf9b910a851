package io.casefeed.collector.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.casefeed.collector.metrics.CollectorMetrics;
import io.casefeed.collector.ratelimit.RateLimits;
import io.casefeed.common.time.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.support.model.DescribeCasesRequest;
import software.amazon.awssdk.services.support.model.DescribeCasesResponse;

class PollSchedulerTest {

  static final String SLOW = "111111111111";
  static final String QUICK = "222222222222";

  /** Holds the slow account's calls until released, and records how many of its calls overlap. */
  static final class SlowSupport extends FakeSupport {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger maxConcurrent = new AtomicInteger();
    final Set<String> polled = ConcurrentHashMap.newKeySet();

    @Override
    public DescribeCasesResponse describeCases(String accountId, DescribeCasesRequest request) {
      polled.add(accountId);
      if (!accountId.equals(SLOW)) {
        return super.describeCases(accountId, request);
      }
      maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        concurrent.decrementAndGet();
      }
      return super.describeCases(accountId, request);
    }
  }

  @Test
  void accountsSweptTogetherAtStartAreSweptAgainSpreadOverTheSecondHalfOfTheInterval() {
    Duration interval = Duration.ofMinutes(10);
    List<Long> delays = java.util.stream.IntStream.range(0, 1_000)
        .mapToObj(i -> PollScheduler.firstResweepDelay(Long.toString(100_000_000_000L + i * 7_919L), interval).toMillis())
        .toList();
    assertThat(delays).allMatch(d -> d >= interval.toMillis() / 2 && d <= interval.toMillis());
    // Ten equal buckets of the half interval each hold a share: no burst.
    long bucket = interval.toMillis() / 2 / 10;
    var perBucket = delays.stream().collect(java.util.stream.Collectors.groupingBy(
        d -> Math.min(9, (d - interval.toMillis() / 2) / bucket), java.util.stream.Collectors.counting()));
    assertThat(perBucket).hasSize(10).allSatisfy((b, count) -> assertThat(count).isBetween(50L, 150L));
    assertThat(PollScheduler.firstResweepDelay("123456789012", interval))
        .as("fixed per account").isEqualTo(PollScheduler.firstResweepDelay("123456789012", interval));
  }

  @Test
  void aSlowAccountIsNeverPolledTwiceAtOnceItsOverrunIsReportedAndOthersCarryOn() throws Exception {
    SlowSupport support = new SlowSupport();
    MemorySink sink = new MemorySink();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    CollectorMetrics metrics = new CollectorMetrics(meters);
    CallRunner calls = new CallRunner(new RateLimits(1000, 1000, 1000), metrics, 2, Duration.ofMillis(1), Duration.ofMillis(2));
    AccountPoller poller = new AccountPoller(support, calls, sink, sink, Clock.systemUTC(), List.of("en"), Duration.ofDays(730), "t");
    try (PollScheduler scheduler = new PollScheduler(poller, sink, Clock.systemUTC(), Duration.ofMillis(100), Duration.ofHours(1), 4, metrics)) {
      scheduler.own(List.of(SLOW, QUICK));
      scheduler.start();

      await().atMost(Duration.ofSeconds(10)).until(() -> sink.sweeps.stream().filter(r -> r.getAccountId().equals(QUICK)).count() >= 5);
      assertThat(meters.counter("casefeed.collector.poll.overruns", "account", SLOW).count()).isPositive();
      assertThat(support.maxConcurrent.get()).isEqualTo(1);
      // The quick account was read completely once, then fast-polled.
      assertThat(sink.sweeps).filteredOn(r -> r.getAccountId().equals(QUICK)).extracting(r -> r.getPollKind())
          .startsWith("sweep", "fast");

      support.release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> sink.sweeps.stream().anyMatch(r -> r.getAccountId().equals(SLOW)));
      assertThat(support.maxConcurrent.get()).isEqualTo(1);

      scheduler.release(List.of(QUICK), Duration.ofSeconds(5));
      int quickPolls = (int) sink.sweeps.stream().filter(r -> r.getAccountId().equals(QUICK)).count();
      Thread.sleep(400);
      assertThat(sink.sweeps.stream().filter(r -> r.getAccountId().equals(QUICK)).count()).isEqualTo(quickPolls);
      assertThat(scheduler.ownedAccounts()).containsExactly(SLOW);
    }
  }

  /** Never lets a poll finish until told, interrupt or not: a stuck call that ignores its cancellation. */
  static final class StuckSupport extends FakeSupport {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public DescribeCasesResponse describeCases(String accountId, DescribeCasesRequest request) {
      entered.countDown();
      boolean interrupted = false;
      while (release.getCount() > 0) {
        try {
          release.await();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return super.describeCases(accountId, request);
    }
  }

  @Test
  void releaseWaitsForAStuckPollOnTheInjectedClockAndGivesUpAtItsDeadline() throws Exception {
    Instant start = Instant.parse("2026-01-05T09:00:00Z");
    MutableClock clock = new MutableClock(start);
    StuckSupport support = new StuckSupport();
    MemorySink sink = new MemorySink();
    CollectorMetrics metrics = new CollectorMetrics(new SimpleMeterRegistry());
    CallRunner calls = new CallRunner(new RateLimits(1000, 1000, 1000), metrics, 1, Duration.ofMillis(1), Duration.ofMillis(2));
    AccountPoller poller = new AccountPoller(support, calls, sink, sink, clock, List.of("en"), Duration.ofDays(730), "t");
    try (PollScheduler scheduler = new PollScheduler(poller, sink, clock, clock, Duration.ofMinutes(1), Duration.ofHours(1),
        Duration.ZERO, 2, metrics)) {
      scheduler.own(List.of(SLOW));
      scheduler.start();
      assertThat(support.entered.await(10, TimeUnit.SECONDS)).isTrue();

      long wallBefore = System.nanoTime();
      Duration wait = Duration.ofSeconds(30);
      scheduler.release(List.of(SLOW), wait);
      Duration wall = Duration.ofNanos(System.nanoTime() - wallBefore);

      // Thirty seconds of waiting played on the clock in checks of RELEASE_CHECK, not waited for.
      assertThat(clock.sleeps()).isNotEmpty().allMatch(PollScheduler.RELEASE_CHECK::equals);
      assertThat(clock.sleeps()).hasSize((int) (wait.toMillis() / PollScheduler.RELEASE_CHECK.toMillis()));
      assertThat(clock.instant()).isEqualTo(start.plus(wait));
      assertThat(wall).isLessThan(Duration.ofSeconds(5));
      assertThat(scheduler.ownedAccounts()).isEmpty();
      support.release.countDown();
    }
  }
}
