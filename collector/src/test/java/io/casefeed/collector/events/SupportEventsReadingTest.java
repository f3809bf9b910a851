package io.casefeed.collector.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.collector.config.CollectorConfig;
import io.casefeed.common.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SupportEventsReadingTest {

  @Test
  void theRegionAndNameComeFromTheQueueUrl() {
    assertThat(SupportEventsReading.regionOf("https://sqs.eu-west-1.amazonaws.com/111122223333/casefeed-support-events", "us-east-1"))
        .isEqualTo("eu-west-1");
    assertThat(SupportEventsReading.regionOf("http://127.0.0.1:4569/111122223333/q", "us-east-1")).isEqualTo("us-east-1");
    assertThat(SupportEventsReading.queueName("https://sqs.us-east-1.amazonaws.com/111122223333/casefeed-support-events"))
        .isEqualTo("casefeed-support-events");
  }

  @Test
  void eventsAreOffByDefaultAndOnWithAQueue() {
    CollectorConfig off = new CollectorConfig(Map.of("accounts.static", "123456789012",
        "kafka.bootstrap.servers", "127.0.0.1:9092", "schema.registry.url", "http://127.0.0.1:8081"));
    assertThat(off.eventsEnabled()).isFalse();
    assertThat(off.eventsVisibilityTimeout()).isEqualTo(Duration.ofSeconds(120));

    CollectorConfig on = new CollectorConfig(Map.of("accounts.static", "123456789012",
        "kafka.bootstrap.servers", "127.0.0.1:9092", "schema.registry.url", "http://127.0.0.1:8081",
        CollectorConfig.EVENTS_QUEUE_URL, "https://sqs.us-east-1.amazonaws.com/111122223333/q"));
    assertThat(on.eventsEnabled()).isTrue();
  }

  @Test
  void anUnknownAccountRefreshesTheSetAtMostOncePerInterval() {
    AtomicInteger resolutions = new AtomicInteger();
    MutableClock clock = new MutableClock(Instant.parse("2026-01-05T09:00:00Z"));
    FollowedAccounts followed = new FollowedAccounts(() -> {
      // The second resolution finds the account added since the first.
      return resolutions.incrementAndGet() == 1 ? Set.of("123456789012") : Set.of("123456789012", "999999999999");
    }, Duration.ofHours(1), clock);

    assertThat(followed.test("123456789012")).isTrue();
    assertThat(followed.test("999999999999")).isFalse();
    clock.advance(Duration.ofMinutes(59));
    assertThat(followed.test("999999999999")).as("within the interval the set is not resolved again").isFalse();
    assertThat(followed.test("123456789012")).isTrue();
    assertThat(resolutions).hasValue(1);

    clock.advance(Duration.ofMinutes(1));
    assertThat(followed.test("999999999999")).as("an interval later the unknown account refreshes the set").isTrue();
    assertThat(resolutions).hasValue(2);
    assertThat(followed.test("999999999999")).isTrue();
    assertThat(resolutions).as("a known account never resolves").hasValue(2);
  }
}
