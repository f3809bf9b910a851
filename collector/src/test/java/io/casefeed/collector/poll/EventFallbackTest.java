package io.casefeed.collector.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.casefeed.collector.metrics.CollectorMetrics;
import io.casefeed.collector.ratelimit.RateLimits;
import io.casefeed.common.time.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventFallbackTest {

  static final String ACCOUNT = "123456789012";
  static final String OTHER = "210987654321";
  static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

  @Test
  void anAccountFallsBackAfterNUnannouncedChangesWithinTheWindowAndComesBackWithAnEvent() {
    MutableClock clock = new MutableClock(START);
    Duration window = Duration.ofHours(1);
    EventFallback fallback = new EventFallback(2, window, clock);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    new CollectorMetrics(meters).fallbackGauge(fallback::fallenBackCount);

    fallback.missed(ACCOUNT);
    assertThat(fallback.fallenBack(ACCOUNT)).as("one miss is chance, not a stop").isFalse();
    clock.advance(window.plusMinutes(1));
    fallback.missed(ACCOUNT);
    assertThat(fallback.fallenBack(ACCOUNT)).as("the first miss left the window").isFalse();
    fallback.missed(OTHER);
    clock.advance(window.minusMinutes(1));
    fallback.missed(ACCOUNT);
    assertThat(fallback.fallenBack(ACCOUNT)).as("two misses within the window").isTrue();
    assertThat(fallback.fallenBack(OTHER)).isFalse();
    assertThat(meters.get(CollectorMetrics.EVENTS_FALLBACK).gauge().value()).isEqualTo(1.0);

    fallback.eventSeen(ACCOUNT);
    assertThat(fallback.fallenBack(ACCOUNT)).isFalse();
    assertThat(meters.get(CollectorMetrics.EVENTS_FALLBACK).gauge().value()).isEqualTo(0.0);
    fallback.missed(ACCOUNT);
    assertThat(fallback.fallenBack(ACCOUNT)).as("an event forgets the earlier misses").isFalse();
  }

  @Test
  void aFallenBackAccountIsPolledAtThePlainFastIntervalUntilAnEventIsSeenForIt() throws Exception {
    MutableClock clock = new MutableClock(START);
    Duration withEvents = Duration.ofMinutes(15);
    Duration plain = Duration.ofMinutes(1);
    EventFallback fallback = new EventFallback(2, Duration.ofHours(1), clock);
    MemorySink sink = new MemorySink();
    CollectorMetrics metrics = new CollectorMetrics(new SimpleMeterRegistry());
    CallRunner calls = new CallRunner(new RateLimits(1000, 1000, 1000), metrics, 2, Duration.ofMillis(1), Duration.ofMillis(2));
    AccountPoller poller = new AccountPoller(new FakeSupport(), calls, sink, sink, clock, List.of("en"), Duration.ofDays(730), "t",
        null, fallback);
    try (PollScheduler scheduler = new PollScheduler(poller, sink, clock, clock, withEvents, Duration.ofDays(1),
        Duration.ZERO, 2, metrics).withFallback(fallback, plain)) {
      assertThat(scheduler.fastIntervalOf(ACCOUNT)).isEqualTo(withEvents);
      fallback.missed(ACCOUNT);
      fallback.missed(ACCOUNT);
      assertThat(scheduler.fastIntervalOf(ACCOUNT)).isEqualTo(plain);

      scheduler.own(List.of(ACCOUNT));
      scheduler.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> polls(sink) == 1);
      clock.advance(plain);
      await("fallen back: the next poll a plain interval later").atMost(Duration.ofSeconds(10))
          .until(() -> polls(sink) == 2);
      // Its sweep record is written before the scheduler plans the next poll: the announcement must
      // come after that planning, else the next poll would rightly be planned at the events interval.
      await().atMost(Duration.ofSeconds(10)).until(() -> !scheduler.polling(ACCOUNT));

      scheduler.announce(ACCOUNT, "case-1", "event-1");
      assertThat(fallback.fallenBack(ACCOUNT)).isFalse();
      assertThat(scheduler.fastIntervalOf(ACCOUNT)).isEqualTo(withEvents);
      // The poll due now was planned while fallen back; the one after it waits the events interval.
      clock.advance(plain);
      await().atMost(Duration.ofSeconds(10)).until(() -> polls(sink) == 3);
      clock.advance(plain);
      Thread.sleep(300);
      assertThat(polls(sink)).as("events flow again: no poll a plain interval later").isEqualTo(3);
      clock.advance(withEvents.minus(plain));
      await().atMost(Duration.ofSeconds(10)).until(() -> polls(sink) == 4);
    }
    // casefeed.sweeps says so too, for the dashboard and any reader: polls 1 and 2 while fallen back.
    assertThat(sink.sweeps.stream().filter(r -> r.getAccountId().equals(ACCOUNT) && !"event".equals(r.getPollKind()))
        .map(r -> r.getEvents()).toList())
        .containsExactly(EventsCoverage.FALLEN_BACK, EventsCoverage.FALLEN_BACK, EventsCoverage.FLOWING, EventsCoverage.FLOWING);
  }

  private static long polls(MemorySink sink) {
    return sink.sweeps.stream().filter(r -> r.getAccountId().equals(ACCOUNT) && !"event".equals(r.getPollKind())).count();
  }
}
