package io.casefeed.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.notifier.mime.MessageFitter;
import io.casefeed.notifier.render.RenderedMail;
import io.casefeed.schema.NotificationRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T08:00:05Z"), ZoneOffset.UTC);

  /** Records sends and answers with scripted failures first. */
  static final class FakeSender implements MailSender {
    final List<String> sentTo = new ArrayList<>();
    final Deque<MailSendException> failures = new ArrayDeque<>();
    final List<java.util.Map<String, String>> tags = new ArrayList<>();
    final List<Integer> sizes = new ArrayList<>();

    @Override
    public String send(String from, String recipient, byte[] rawMime, java.util.Map<String, String> mailTags)
        throws MailSendException {
      if (!failures.isEmpty()) {
        throw failures.pop();
      }
      sentTo.add(recipient);
      tags.add(mailTags);
      sizes.add(rawMime.length);
      return "ses-" + sentTo.size();
    }
  }

  private final FakeSender sender = new FakeSender();
  private final List<NotificationRecord> written = new ArrayList<>();
  private final List<ProtocolStep> steps = new ArrayList<>();
  private final List<Duration> pauses = new ArrayList<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final NotificationLedger ledger = new NotificationLedger();
  private final Delivery delivery = new Delivery("casefeed@example.com", sender, written::add, ledger, CLOCK, meters,
      (step, mail) -> steps.add(step), pauses::add, 4, Duration.ofMillis(100), Duration.ofMillis(250),
      new MessageFitter(MessageFitter.SES_MAX_MESSAGE_BYTES));

  private static OutgoingMail mail(String recipient) {
    return new OutgoingMail(MailIds.digest(Instant.parse("2026-11-26T08:00:00Z"), "ops", recipient), OutgoingMail.DIGEST, "ops",
        recipient, "2026-11-26T08:00:00Z", new RenderedMail("subject", "text", "<p>html</p>", null, null));
  }

  @Test
  void theIntentIsWrittenBeforeTheSendAndTheCompletionAfter() throws Exception {
    assertThat(delivery.deliver(mail("alice@example.com"))).isEqualTo(Delivery.Outcome.SENT);
    assertThat(written).extracting(NotificationRecord::getStage).containsExactly("intended", "sent");
    assertThat(written.get(1).getSesMessageId()).isEqualTo("ses-1");
    assertThat(steps).containsExactly(ProtocolStep.BEFORE_INTENT, ProtocolStep.INTENT_WRITTEN, ProtocolStep.SES_ACCEPTED,
        ProtocolStep.COMPLETION_WRITTEN);
    assertThat(sender.tags.get(0).get("casefeed-mail-id")).matches("[0-9a-f]{32}")
        .isEqualTo(MailIds.tagValue(mail("alice@example.com").mailId()));
    assertThat(meters.counter("casefeed.notifier.mails", "kind", "digest", "outcome", "sent").count()).isEqualTo(1.0);
  }

  @Test
  void aCompletedMailIsNeverSentAgainAndAnIntendedOneIsFinishedWithoutASecondIntent() throws Exception {
    delivery.deliver(mail("alice@example.com"));
    assertThat(delivery.deliver(mail("alice@example.com"))).isEqualTo(Delivery.Outcome.ALREADY_DONE);
    assertThat(sender.sentTo).hasSize(1);

    NotificationRecord intent = NotificationRecord.newBuilder(written.get(0)).setMailId(mail("bob@example.com").mailId())
        .setRecipient("bob@example.com").build();
    ledger.apply(intent.getMailId(), intent);
    written.clear();
    assertThat(delivery.deliver(mail("bob@example.com"))).isEqualTo(Delivery.Outcome.SENT);
    assertThat(written).extracting(NotificationRecord::getStage).containsExactly("sent");
  }

  @Test
  void throttlingIsRetriedWithDoublingPausesCappedAtTheMaximum() throws Exception {
    for (int i = 0; i < 3; i++) {
      sender.failures.add(new MailSendException(MailSendException.Kind.RETRYABLE, "throttled", null));
    }
    assertThat(delivery.deliver(mail("alice@example.com"))).isEqualTo(Delivery.Outcome.SENT);
    assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(250));
  }

  @Test
  void retriesEndInAFailedRecordWithTheReason() throws Exception {
    for (int i = 0; i < 4; i++) {
      sender.failures.add(new MailSendException(MailSendException.Kind.RETRYABLE, "HTTP 503 ServiceUnavailable", null));
    }
    assertThat(delivery.deliver(mail("alice@example.com"))).isEqualTo(Delivery.Outcome.FAILED);
    assertThat(written.get(1).getStage()).isEqualTo("failed");
    assertThat(written.get(1).getError()).contains("4 attempt(s)").contains("503");
    assertThat(ledger.isCompleted(mail("alice@example.com").mailId())).isTrue();
  }

  @Test
  void aRejectionIsRecordedWithTheAddressAndNotRetried() throws Exception {
    sender.failures.add(new MailSendException(MailSendException.Kind.REJECTED, "MessageRejected: Email address is not verified", null));
    assertThat(delivery.deliver(mail("mallory@example.com"))).isEqualTo(Delivery.Outcome.REJECTED);
    assertThat(delivery.deliver(mail("alice@example.com"))).isEqualTo(Delivery.Outcome.SENT);
    assertThat(pauses).isEmpty();
    assertThat(written.get(1).getStage()).isEqualTo("rejected");
    assertThat(written.get(1).getError()).contains("mallory@example.com").contains("not verified");
    assertThat(meters.counter("casefeed.notifier.mails", "kind", "digest", "outcome", "rejected").count()).isEqualTo(1.0);
  }

  @Test
  void aMailOverSesLimitEvenWithoutItsAttachmentIsRejectedWithTheReasonAndNeverSent() throws Exception {
    // the estimate refuses it before anything is built: 45 MB of text is over 40 MB in base64 whatever else
    String text = "x".repeat(32 * 1024 * 1024);
    OutgoingMail huge = new OutgoingMail(MailIds.digest(Instant.parse("2026-11-26T08:00:00Z"), "ops", "alice@example.com"),
        OutgoingMail.DIGEST, "ops", "alice@example.com", "2026-11-26T08:00:00Z",
        new RenderedMail("subject", text, "<p>html</p>", "case_list.csv", "case-id\r\n"));
    assertThat(delivery.deliver(huge)).isEqualTo(Delivery.Outcome.REJECTED);
    assertThat(sender.sentTo).isEmpty();
    assertThat(written).extracting(NotificationRecord::getStage).containsExactly("intended", "rejected");
    assertThat(written.get(1).getError()).contains("alice@example.com").contains("over the 41943040 SES accepts");
    assertThat(delivery.deliver(mail("bob@example.com"))).isEqualTo(Delivery.Outcome.SENT);
  }

  @Test
  void aDigestWhoseListIsTooBigIsSentWithTheListGzippedAndCounted() throws Exception {
    StringBuilder csv = new StringBuilder("case-id,status\r\n");
    while (csv.length() < 34 * 1024 * 1024) {
      csv.append("case-").append(csv.length()).append(",opened\r\n");
    }
    OutgoingMail digest = new OutgoingMail(MailIds.digest(Instant.parse("2026-11-26T08:00:00Z"), "ops", "alice@example.com"),
        OutgoingMail.DIGEST, "ops", "alice@example.com", "2026-11-26T08:00:00Z",
        new RenderedMail("subject", "text", "<p>html</p>", "case_list.csv", csv.toString()));
    assertThat(delivery.deliver(digest)).isEqualTo(Delivery.Outcome.SENT);
    assertThat(sender.sentTo).containsExactly("alice@example.com");
    assertThat(sender.sizes.get(0)).isLessThanOrEqualTo(40 * 1024 * 1024);
    assertThat(meters.counter("casefeed.notifier.mails.shrunk", "kind", "digest", "form", "attachment_gzipped").count())
        .isEqualTo(1.0);
  }
}
