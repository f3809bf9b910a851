package io.casefeed.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.common.time.MutableClock;
import io.casefeed.notifier.mime.MessageFitter;
import io.casefeed.notifier.render.RenderedMail;
import io.casefeed.notifier.resend.FailedMail;
import io.casefeed.notifier.resend.FailedMailCodec;
import io.casefeed.notifier.resend.Resends;
import io.casefeed.schema.NotificationRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A mail that failed after its retries is kept and sent again on a fake clock: no test here waits. */
class MailResendTest {

  private static final Instant T0 = Instant.parse("2026-11-26T08:00:05Z");
  private static final Duration INTERVAL = Duration.ofMinutes(15);

  private final MutableClock clock = new MutableClock(T0);
  private final DeliveryTest.FakeSender sender = new DeliveryTest.FakeSender();
  private final List<NotificationRecord> written = new ArrayList<>();
  private final NotificationLedger ledger = new NotificationLedger();
  /** What the resends topic holds: the latest value per mail id, null for a tombstone. */
  private final Map<String, FailedMail> topic = new LinkedHashMap<>();
  private final Resends resends = new Resends(topic::put, clock, INTERVAL, 2);
  private final Delivery delivery = new Delivery("casefeed@example.com", sender, record -> {
    written.add(record);
  }, ledger, clock, new SimpleMeterRegistry(), ProtocolListener.NONE, clock, 3, Duration.ofMillis(100), Duration.ofMillis(200),
      new MessageFitter(MessageFitter.SES_MAX_MESSAGE_BYTES), resends);

  private static OutgoingMail alert(String recipient) {
    return new OutgoingMail(MailIds.alert(Instant.parse("2026-11-26T08:00:00Z"), "ops", recipient), OutgoingMail.ALERT, "ops",
        recipient, "2026-11-26T08:00:00Z", new RenderedMail("[casefeed] ops: 1 urgent case opened", "text", "<p>html</p>", null, null));
  }

  private void sesFails(int times) {
    for (int i = 0; i < times; i++) {
      sender.failures.add(new MailSendException(MailSendException.Kind.RETRYABLE, "HTTP 503 ServiceUnavailable", null));
    }
  }

  private String stage(String mailId) {
    return ledger.record(mailId).orElseThrow().getStage().toString();
  }

  @Test
  void aMailThatFailedAfterItsRetriesIsKeptWithItsMessageAndResentAfterTheInterval() throws Exception {
    OutgoingMail mail = alert("alice@example.com");
    sesFails(3);
    assertThat(delivery.deliver(mail)).isEqualTo(Delivery.Outcome.FAILED);
    assertThat(stage(mail.mailId())).isEqualTo("failed");
    FailedMail kept = topic.get(mail.mailId());
    assertThat(kept.failures()).isEqualTo(1);
    assertThat(clock.sleeps()).as("the retries' pauses, on the fake clock").containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(kept.lastFailedAt()).isEqualTo(T0.plusMillis(300));
    assertThat(kept.nextAttemptAt()).isEqualTo(kept.lastFailedAt().plus(INTERVAL));
    assertThat(new String(kept.raw(), java.nio.charset.StandardCharsets.UTF_8)).contains("Subject: [casefeed] ops: 1 urgent case opened");
    assertThat(kept.lastError()).contains("failed after 3 attempt(s)").contains("503");

    assertThat(resends.due(false)).as("not before its time").isEmpty();
    clock.advance(INTERVAL);
    List<FailedMail> due = resends.due(false);
    assertThat(due).extracting(FailedMail::mailId).containsExactly(mail.mailId());
    written.clear();
    assertThat(delivery.resend(due.get(0))).isEqualTo(Delivery.Outcome.SENT);

    assertThat(written).extracting(NotificationRecord::getStage).containsExactly("intended", "sent");
    assertThat(sender.sentTo).containsExactly("alice@example.com");
    assertThat(topic).containsEntry(mail.mailId(), null);
    assertThat(resends.size()).isZero();
  }

  @Test
  void atStartEveryKeptMailIsResentWhateverItsTime() {
    resends.keep(FailedMail.first("m1", "alert", "ops", "a@example.com", "p", "s", new byte[] {1}, "boom", T0));
    assertThat(resends.due(false)).isEmpty();
    assertThat(resends.due(true)).extracting(FailedMail::mailId).containsExactly("m1");
  }

  @Test
  void whenTheResendsAreUsedUpTheMailWaitsForAnOperatorWhoGivesUp() throws Exception {
    OutgoingMail mail = alert("bob@example.com");
    sesFails(3);
    delivery.deliver(mail);
    for (int resend = 1; resend <= 2; resend++) {
      clock.advance(INTERVAL);
      sesFails(3);
      assertThat(delivery.resend(resends.due(false).get(0))).isEqualTo(Delivery.Outcome.FAILED);
      assertThat(stage(mail.mailId())).isEqualTo("failed");
      assertThat(ledger.record(mail.mailId()).orElseThrow().getError().toString()).startsWith("resend " + resend + " of 2 failed");
    }
    FailedMail waiting = topic.get(mail.mailId());
    assertThat(waiting.failures()).isEqualTo(3);
    assertThat(waiting.exhausted()).isTrue();
    clock.advance(INTERVAL.multipliedBy(10));
    assertThat(resends.due(false)).as("no third resend").isEmpty();
    assertThat(resends.due(true)).as("not even at a start").isEmpty();
    assertThat(resends.waitingForOperator("ops")).extracting(FailedMail::mailId).containsExactly(mail.mailId());

    // casefeed notifications give-up writes the tombstone; the notifier reads it back.
    resends.apply(mail.mailId(), null).ifPresent(delivery::givenUp);
    assertThat(stage(mail.mailId())).isEqualTo("given-up");
    assertThat(ledger.record(mail.mailId()).orElseThrow().getError().toString()).contains("given up by an operator");
    assertThat(resends.waitingForOperator("ops")).isEmpty();
    assertThat(ledger.isCompleted(mail.mailId())).isTrue();
    assertThat(sender.sentTo).isEmpty();
  }

  @Test
  void itsOwnTombstoneReadBackIsNoGiveUpAndAnOlderRecordReadBackChangesNothing() throws Exception {
    OutgoingMail mail = alert("carol@example.com");
    sesFails(3);
    delivery.deliver(mail);
    FailedMail first = topic.get(mail.mailId());
    clock.advance(INTERVAL);
    sesFails(3);
    delivery.resend(resends.due(false).get(0));
    assertThat(resends.apply(mail.mailId(), first)).isEmpty();
    assertThat(resends.get(mail.mailId()).orElseThrow().failures()).as("the newer state stays").isEqualTo(2);

    clock.advance(INTERVAL);
    delivery.resend(resends.due(false).get(0));
    assertThat(stage(mail.mailId())).isEqualTo("sent");
    assertThat(resends.apply(mail.mailId(), null)).as("already forgotten: its own tombstone").isEmpty();
    assertThat(stage(mail.mailId())).isEqualTo("sent");
  }

  @Test
  void aRejectedMailIsNotKeptAndARejectedResendIsForgotten() throws Exception {
    sender.failures.add(new MailSendException(MailSendException.Kind.REJECTED, "MessageRejected: address not verified", null));
    delivery.deliver(alert("dave@example.com"));
    assertThat(topic).isEmpty();

    OutgoingMail mail = alert("erin@example.com");
    sesFails(3);
    delivery.deliver(mail);
    clock.advance(INTERVAL);
    sender.failures.add(new MailSendException(MailSendException.Kind.REJECTED, "MessageRejected: address not verified", null));
    assertThat(delivery.resend(resends.due(false).get(0))).isEqualTo(Delivery.Outcome.REJECTED);
    assertThat(stage(mail.mailId())).isEqualTo("rejected");
    assertThat(resends.size()).isZero();
  }

  @Test
  void aMailSentMeanwhileIsNotSentAgain() throws Exception {
    OutgoingMail mail = alert("frank@example.com");
    sesFails(3);
    delivery.deliver(mail);
    FailedMail kept = topic.get(mail.mailId());
    ledger.apply(mail.mailId(), NotificationRecord.newBuilder(ledger.record(mail.mailId()).orElseThrow()).setStage("sent").setError(null)
        .build());

    assertThat(delivery.resend(kept)).isEqualTo(Delivery.Outcome.ALREADY_DONE);
    assertThat(sender.sentTo).isEmpty();
    assertThat(resends.size()).isZero();
  }

  @Test
  void withNoResendsConfiguredNothingIsKept() throws Exception {
    Resends none = new Resends(topic::put, clock, INTERVAL, 0);
    Delivery withoutResends = new Delivery("casefeed@example.com", sender, written::add, ledger, clock, new SimpleMeterRegistry(),
        ProtocolListener.NONE, clock, 3, Duration.ofMillis(100), Duration.ofMillis(200),
        new MessageFitter(MessageFitter.SES_MAX_MESSAGE_BYTES), none);
    sesFails(3);
    assertThat(withoutResends.deliver(alert("gina@example.com"))).isEqualTo(Delivery.Outcome.FAILED);
    assertThat(topic).isEmpty();
  }

  @Test
  void theKeptRecordRoundTripsAndAMessageTooBigToKeepIsReportedOnly() {
    FailedMail mail = new FailedMail("alert|2026-11-26T08:00:00Z|ops|a@example.com", "alert", "ops", "a@example.com",
        "2026-11-26T08:00:00Z", "[casefeed] subject", "MIME-Version: 1.0\r\n\r\nbody".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        2, T0, T0.plusSeconds(60), "HTTP 503", T0.plusSeconds(960));
    FailedMail back = FailedMailCodec.decode(FailedMailCodec.encode(mail));
    assertThat(back).usingRecursiveComparison().isEqualTo(mail);

    byte[] noise = new byte[FailedMailCodec.MAX_KEPT_BYTES + 1024];
    new java.util.Random(7).nextBytes(noise);
    resends.keep(FailedMail.first("big", "digest", "ops", "a@example.com", "p", "s", noise, "HTTP 503", T0));
    FailedMail big = topic.get("big");
    assertThat(big.resendable()).isFalse();
    assertThat(big.exhausted()).as("waits for an operator at once").isTrue();
    assertThat(resends.waitingForOperator("ops")).extracting(FailedMail::mailId).containsExactly("big");
  }
}
