package io.casefeed.notifier.delivery;

import io.casefeed.common.retry.Backoff;
import io.casefeed.common.retry.Retrier;
import io.casefeed.common.time.Sleeper;
import io.casefeed.notifier.mime.MessageFitter;
import io.casefeed.notifier.render.RenderedMail;
import io.casefeed.notifier.resend.FailedMail;
import io.casefeed.notifier.resend.Resends;
import io.casefeed.schema.NotificationRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one mail at most once and at least once: an intended record is made durable before SES is
 * called, a completion record after; a mail already completed is skipped. Throttling and 5xx are
 * retried with doubling pauses; a rejection is recorded with the address and never blocks other mails.
 */
public final class Delivery {

  /** What happened to one mail. */
  public enum Outcome { SENT, REJECTED, FAILED, ALREADY_DONE }

  private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

  private final String from;
  private final MailSender sender;
  private final NotificationStore store;
  private final NotificationLedger ledger;
  private final Clock clock;
  private final MeterRegistry meters;
  private final ProtocolListener listener;
  private final int maxAttempts;
  /** Doubling pauses without jitter: one notifier sends one mail at a time, there is no herd to spread. */
  private final Retrier retrier;
  /**
   * How long a mail SES has accepted stays unrecorded: a crash inside this window makes the restarted
   * notifier send it again (SES has no idempotency key), so it is measured to be kept small.
   */
  private final Timer unrecordedWindow;
  /** Keeps each mail within what SES accepts (see {@link MessageFitter}). */
  private final MessageFitter fitter;
  /** Where a mail that failed after its retries is kept to be sent again. */
  private final Resends resends;

  public Delivery(String from, MailSender sender, NotificationStore store, NotificationLedger ledger, Clock clock,
      MeterRegistry meters, ProtocolListener listener, Sleeper sleeper, int maxAttempts, Duration backoff, Duration backoffMax, MessageFitter fitter) {
    this(from, sender, store, ledger, clock, meters, listener, sleeper, maxAttempts, backoff, backoffMax, fitter,
        new Resends((id, mail) -> { }, clock, Duration.ZERO, 0));
  }

  /** @param resends keeps what fails after its retries and plans its resends ({@link #resend}) */
  public Delivery(String from, MailSender sender, NotificationStore store, NotificationLedger ledger, Clock clock,
      MeterRegistry meters, ProtocolListener listener, Sleeper sleeper, int maxAttempts, Duration backoff, Duration backoffMax,
      MessageFitter fitter, Resends resends) {
    this.resends = resends;
    this.from = from;
    this.sender = sender;
    this.store = store;
    this.ledger = ledger;
    this.clock = clock;
    this.meters = meters;
    this.listener = listener;
    this.maxAttempts = maxAttempts;
    this.fitter = fitter;
    this.retrier = new Retrier(new Backoff(maxAttempts, backoff, backoffMax, Backoff.Jitter.NONE),
        failure -> failure instanceof MailSendException e && e.kind() == MailSendException.Kind.RETRYABLE, sleeper);
    this.unrecordedWindow = Timer.builder("casefeed.notifier.ses.unrecorded.window")
        .description("From SES accepting a mail to its sent record being durable in the ledger")
        .publishPercentiles(0.5, 0.99).register(meters);
  }

  public Outcome deliver(OutgoingMail mail) throws InterruptedException {
    if (ledger.isCompleted(mail.mailId())) {
      return Outcome.ALREADY_DONE;
    }
    listener.reached(ProtocolStep.BEFORE_INTENT, mail);
    if (!ledger.isIntended(mail.mailId())) {
      record(mail, NotificationLedger.INTENDED, null, null);
    } else {
      LOG.info("finishing mail {} intended before a restart", mail.mailId());
    }
    listener.reached(ProtocolStep.INTENT_WRITTEN, mail);

    MessageFitter.Fitted fitted = fitter.fit(from, mail.recipient(), mail.mailId(), clock.instant(), mail.content());
    if (!fitted.withinLimit()) {
      // SES would refuse it after every retry; say why now, and let the other mails go on.
      return notDelivered(mail, true, "not sent to " + mail.recipient() + ": the message is about " + fitted.bytes()
          + " bytes, over the " + MessageFitter.SES_MAX_MESSAGE_BYTES + " SES accepts, even without its attachment");
    }
    if (fitted.form() != MessageFitter.Form.AS_IS) {
      LOG.warn("{} to {} is over the {} bytes SES accepts with its attachment as it is; sending it {} ({} bytes)", mail.kind(),
          mail.recipient(), MessageFitter.SES_MAX_MESSAGE_BYTES,
          fitted.form() == MessageFitter.Form.ATTACHMENT_GZIPPED ? "with the attachment gzipped" : "without the attachment",
          fitted.raw().length);
      meters.counter("casefeed.notifier.mails.shrunk", "kind", mail.kind(), "form",
          fitted.form().name().toLowerCase(java.util.Locale.ROOT)).increment();
    }
    byte[] raw = fitted.raw();
    int[] attempts = {0};
    try {
      send(mail, raw, attempts);
      return Outcome.SENT;
    } catch (MailSendException e) {
      boolean rejected = e.kind() == MailSendException.Kind.REJECTED;
      String error = (rejected ? "rejected by SES for " + mail.recipient() + ": " : "failed after " + attempts[0] + " attempt(s): ")
          + e.getMessage();
      Outcome outcome = notDelivered(mail, rejected, error);
      if (!rejected) {
        resends.keep(FailedMail.first(mail.mailId(), mail.kind(), mail.group(), mail.recipient(), mail.period(),
            mail.content().subject(), raw, error, clock.instant()));
      }
      return outcome;
    }
  }

  /**
   * Sends a mail that failed after its retries once more, the very message kept, by the same
   * protocol: intent, send (with retries), completion. Sent or rejected for good, it is forgotten;
   * failed again, {@link Resends} plans the next resend or leaves it to an operator.
   */
  public Outcome resend(FailedMail failed) throws InterruptedException {
    OutgoingMail mail = asMail(failed);
    String stage = ledger.record(mail.mailId()).map(r -> r.getStage().toString()).orElse(null);
    if (NotificationLedger.SENT.equals(stage) || NotificationLedger.GIVEN_UP.equals(stage)) {
      resends.done(mail.mailId());
      return Outcome.ALREADY_DONE;
    }
    int resend = failed.failures();
    listener.reached(ProtocolStep.BEFORE_INTENT, mail);
    record(mail, NotificationLedger.INTENDED, null, null);
    listener.reached(ProtocolStep.INTENT_WRITTEN, mail);
    LOG.info("resending {} to {} (mail id {}), resend {} of {}", mail.kind(), mail.recipient(), mail.mailId(), resend,
        resends.maxResends());
    int[] attempts = {0};
    try {
      send(mail, failed.raw(), attempts);
      resends.done(mail.mailId());
      meters.counter("casefeed.notifier.resends", "outcome", "sent").increment();
      return Outcome.SENT;
    } catch (MailSendException e) {
      boolean rejected = e.kind() == MailSendException.Kind.REJECTED;
      String error = (rejected ? "rejected by SES for " + mail.recipient() + ": "
          : "resend " + resend + " of " + resends.maxResends() + " failed after " + attempts[0] + " attempt(s): ") + e.getMessage();
      Outcome outcome = notDelivered(mail, rejected, error);
      meters.counter("casefeed.notifier.resends", "outcome", rejected ? "rejected" : "failed").increment();
      if (rejected) {
        resends.done(mail.mailId());
      } else {
        resends.failedAgain(failed, error);
      }
      return outcome;
    }
  }

  /** An operator gave up on a kept mail: the ledger says so, and nothing sends it again. */
  public void givenUp(FailedMail failed) {
    String stage = ledger.record(failed.mailId()).map(r -> r.getStage().toString()).orElse(null);
    if (NotificationLedger.SENT.equals(stage) || NotificationLedger.GIVEN_UP.equals(stage)) {
      return;
    }
    record(asMail(failed), NotificationLedger.GIVEN_UP, null, "given up by an operator after " + failed.failures()
        + " failed round(s); last: " + failed.lastError());
    LOG.warn("{} to {} (mail id {}) given up by an operator", failed.kind(), failed.recipient(), failed.mailId());
  }

  /** A kept mail as the ledger and the protocol know it: of its content only the subject is recorded. */
  private static OutgoingMail asMail(FailedMail failed) {
    return new OutgoingMail(failed.mailId(), failed.kind(), failed.group(), failed.recipient(), failed.period(),
        new RenderedMail(failed.subject(), null, null, null, null));
  }

  /** SES's call with the retries; on success the completion record. */
  private void send(OutgoingMail mail, byte[] raw, int[] attempts) throws MailSendException, InterruptedException {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("casefeed-mail-id", MailIds.tagValue(mail.mailId()));
    tags.put("casefeed-kind", mail.kind());
    tags.put("casefeed-group", mail.group().replaceAll("[^A-Za-z0-9_-]", "_"));
    String messageId = retrier.call(() -> {
      attempts[0]++;
      return sender.send(from, mail.recipient(), raw, tags);
    }, (failedAttempts, failure, pause) -> {
      LOG.warn("SES did not take {} to {} (attempt {}/{}): {}; retrying in {} ms",
          mail.kind(), mail.recipient(), failedAttempts, maxAttempts, failure.getMessage(), pause.toMillis());
      meters.counter("casefeed.notifier.ses.retries", "kind", mail.kind()).increment();
    });
    Instant accepted = clock.instant();
    listener.reached(ProtocolStep.SES_ACCEPTED, mail);
    record(mail, NotificationLedger.SENT, messageId, null);
    unrecordedWindow.record(Duration.between(accepted, clock.instant()));
    listener.reached(ProtocolStep.COMPLETION_WRITTEN, mail);
    count(mail, "sent");
    LOG.info("sent {} to {} (mail id {}, SES message id {})", mail.kind(), mail.recipient(), mail.mailId(), messageId);
  }

  /** Records and reports a mail that was not delivered; a rejected one is never tried again, a failed one may be. */
  private Outcome notDelivered(OutgoingMail mail, boolean rejected, String error) {
    String stage = rejected ? NotificationLedger.REJECTED : NotificationLedger.FAILED;
    record(mail, stage, null, error);
    listener.reached(ProtocolStep.COMPLETION_WRITTEN, mail);
    count(mail, stage);
    LOG.error("{} to {} NOT delivered, {} (mail id {}): {}", mail.kind(), mail.recipient(), stage, mail.mailId(), error);
    return rejected ? Outcome.REJECTED : Outcome.FAILED;
  }

  private void record(OutgoingMail mail, String stage, String messageId, String error) {
    NotificationRecord record = NotificationRecord.newBuilder()
        .setMailId(mail.mailId())
        .setKind(mail.kind())
        .setStage(stage)
        .setRecipientGroup(mail.group())
        .setRecipient(mail.recipient())
        .setPeriod(mail.period())
        .setSubject(mail.content().subject())
        .setSesMessageId(messageId)
        .setError(error)
        .setRecordedAt(clock.instant())
        .build();
    store.write(record);
    ledger.apply(mail.mailId(), record);
  }

  private void count(OutgoingMail mail, String outcome) {
    Counter.builder("casefeed.notifier.mails").description("Mails by kind and outcome")
        .tag("kind", mail.kind()).tag("outcome", outcome).register(meters).increment();
  }
}
