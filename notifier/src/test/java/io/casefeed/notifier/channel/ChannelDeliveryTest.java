package io.casefeed.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.common.time.MutableClock;
import io.casefeed.notifier.alert.AlertEvent;
import io.casefeed.notifier.delivery.Delivery;
import io.casefeed.notifier.delivery.MailSendException;
import io.casefeed.notifier.delivery.NotificationLedger;
import io.casefeed.notifier.delivery.ProtocolStep;
import io.casefeed.schema.NotificationRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelDeliveryTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T08:00:05Z"), ZoneOffset.UTC);
  private static final ChannelTarget TARGET = new ChannelTarget("oncall", ChannelKind.SLACK,
      URI.create("https://hooks.example.com/services/T0/B0/secret-token"), null, null, EnumSet.allOf(AlertEvent.Kind.class));

  /** Records posts and answers with scripted failures first. */
  static final class FakePoster implements ChannelPoster {
    final List<String> posted = new ArrayList<>();
    final Deque<ChannelPostException> failures = new ArrayDeque<>();
    int calls;

    @Override
    public String post(ChannelPost post) throws ChannelPostException {
      calls++;
      if (!failures.isEmpty()) {
        throw failures.pop();
      }
      posted.add(post.notificationId());
      return "HTTP 200";
    }
  }

  private final FakePoster poster = new FakePoster();
  private final List<NotificationRecord> written = new ArrayList<>();
  private final List<ProtocolStep> steps = new ArrayList<>();
  private final List<Duration> pauses = new ArrayList<>();
  private final NotificationLedger ledger = new NotificationLedger();
  private final ChannelDelivery delivery = new ChannelDelivery(poster, written::add, ledger, CLOCK, new SimpleMeterRegistry(),
      (step, mail) -> steps.add(step), pauses::add, 4, Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(5));

  private static ChannelPost post() {
    Instant window = Instant.parse("2026-11-26T08:00:00Z");
    return new ChannelPost(ChannelIds.alert(window, "ops", TARGET), "ops", TARGET, window.toString(), "[casefeed] ops: 1 new case",
        "application/json", "{}".getBytes(StandardCharsets.UTF_8));
  }

  private static ChannelPostException failure(MailSendException.Kind kind, int status, Duration retryAfter) {
    return new ChannelPostException(kind, status, retryAfter, "slack:oncall answered HTTP " + status, null);
  }

  @Test
  void intentIsDurableBeforeThePostAndCompletionAfterInTheMailLedger() throws Exception {
    assertThat(delivery.deliver(post())).isEqualTo(Delivery.Outcome.SENT);
    assertThat(written).extracting(NotificationRecord::getStage).containsExactly("intended", "sent");
    assertThat(written.get(1).getRecipient()).isEqualTo("slack:oncall");
    assertThat(written.get(1).getSesMessageId()).isEqualTo("HTTP 200");
    assertThat(written.get(1).getMailId()).isEqualTo("alert|2026-11-26T08:00:00Z|ops|slack:oncall");
    assertThat(steps).containsExactly(ProtocolStep.BEFORE_INTENT, ProtocolStep.INTENT_WRITTEN, ProtocolStep.SES_ACCEPTED,
        ProtocolStep.COMPLETION_WRITTEN);
    assertThat(written).allSatisfy(r -> assertThat(r.toString()).doesNotContain("secret-token"));
  }

  @Test
  void aCompletedPostIsNeverPostedAgainAndAnIntendedOneIsFinished() throws Exception {
    delivery.deliver(post());
    assertThat(delivery.deliver(post())).isEqualTo(Delivery.Outcome.ALREADY_DONE);
    assertThat(poster.posted).hasSize(1);

    NotificationLedger restarted = new NotificationLedger();
    restarted.apply(written.get(0).getMailId(), written.get(0));
    List<NotificationRecord> after = new ArrayList<>();
    ChannelDelivery again = new ChannelDelivery(poster, after::add, restarted, CLOCK, new SimpleMeterRegistry(),
        (step, mail) -> { }, pauses::add, 4, Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(5));
    assertThat(again.deliver(post())).isEqualTo(Delivery.Outcome.SENT);
    assertThat(after).extracting(NotificationRecord::getStage).containsExactly("sent");
  }

  @Test
  void throttlingIsRetriedNoSoonerThanRetryAfterThenPostedOnce() throws Exception {
    poster.failures.add(failure(MailSendException.Kind.RETRYABLE, 429, Duration.ofSeconds(2)));
    poster.failures.add(failure(MailSendException.Kind.RETRYABLE, 503, null));
    assertThat(delivery.deliver(post())).isEqualTo(Delivery.Outcome.SENT);
    assertThat(poster.calls).isEqualTo(3);
    assertThat(poster.posted).hasSize(1);
    // 2 s asked: 1.9 s on top of the backoff's 100 ms; then the backoff's own 200 ms.
    assertThat(pauses).containsExactly(Duration.ofMillis(1900), Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void aRetryAfterBeyondTheCapWaitsOnlyTheCap() throws Exception {
    poster.failures.add(failure(MailSendException.Kind.RETRYABLE, 429, Duration.ofHours(1)));
    delivery.deliver(post());
    assertThat(pauses.stream().reduce(Duration.ZERO, Duration::plus)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aRejectionIsRecordedAtOnceAndNeverRetried() throws Exception {
    poster.failures.add(failure(MailSendException.Kind.REJECTED, 404, null));
    assertThat(delivery.deliver(post())).isEqualTo(Delivery.Outcome.REJECTED);
    assertThat(poster.calls).isEqualTo(1);
    assertThat(pauses).isEmpty();
    assertThat(written).extracting(NotificationRecord::getStage).containsExactly("intended", "rejected");
    assertThat(written.get(1).getError()).contains("HTTP 404");
  }

  @Test
  void retriesRunOutIntoAFailedRecord() throws Exception {
    for (int i = 0; i < 4; i++) {
      poster.failures.add(failure(MailSendException.Kind.RETRYABLE, 500, null));
    }
    assertThat(delivery.deliver(post())).isEqualTo(Delivery.Outcome.FAILED);
    assertThat(poster.calls).isEqualTo(4);
    assertThat(written.get(1).getStage()).isEqualTo("failed");
    assertThat(written.get(1).getError()).startsWith("failed after 4 attempt(s)");
  }

  @Test
  void postsToOneSlackChannelWaitTheirTurnAtOneASecondAndOtherChannelsDoNot() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-26T08:00:05Z"));
    List<Duration> waits = new ArrayList<>();
    ChannelDelivery paced = new ChannelDelivery(poster, written::add, ledger, clock, new SimpleMeterRegistry(),
        (step, mail) -> { }, d -> {
          waits.add(d);
          clock.advance(d);
        }, 4, Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(5));
    ChannelTarget other = new ChannelTarget("leads", ChannelKind.SLACK, URI.create("https://hooks.example.com/services/T0/B1/other"),
        null, null, EnumSet.allOf(AlertEvent.Kind.class));
    Instant window = Instant.parse("2026-11-26T08:00:00Z");

    for (int i = 0; i < 3; i++) {
      assertThat(paced.deliver(new ChannelPost(ChannelIds.alertEvent(window, "ops", TARGET, "e" + i), "ops", TARGET,
          window.toString(), "alert " + i, "application/json", "{}".getBytes(StandardCharsets.UTF_8)))).isEqualTo(Delivery.Outcome.SENT);
    }
    assertThat(waits).as("the second and third message to #oncall wait a second each").containsExactly(Duration.ofSeconds(1),
        Duration.ofSeconds(1));
    paced.deliver(new ChannelPost(ChannelIds.alert(window, "ops", other), "ops", other, window.toString(), "to leads",
        "application/json", "{}".getBytes(StandardCharsets.UTF_8)));
    assertThat(waits).as("another channel has its own pace").hasSize(2);
    assertThat(poster.posted).hasSize(4);
  }
}
