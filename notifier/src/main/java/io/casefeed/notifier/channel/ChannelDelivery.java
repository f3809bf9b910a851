package io.casefeed.notifier.channel;

import io.casefeed.common.ratelimit.CallRateLimiter;
import io.casefeed.common.retry.Backoff;
import io.casefeed.common.retry.Retrier;
import io.casefeed.common.time.Sleeper;
import io.casefeed.notifier.delivery.Delivery;
import io.casefeed.notifier.delivery.MailSendException;
import io.casefeed.notifier.delivery.NotificationLedger;
import io.casefeed.notifier.delivery.NotificationStore;
import io.casefeed.notifier.delivery.OutgoingMail;
import io.casefeed.notifier.delivery.ProtocolListener;
import io.casefeed.notifier.delivery.ProtocolStep;
import io.casefeed.notifier.render.RenderedMail;
import io.casefeed.schema.NotificationRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts once and at least once, by the mail's protocol ({@link Delivery}) on the same ledger: an
 * intended record is durable before the post, a completion record after, a completed notification
 * id is skipped. 429, 408, 5xx and network failures are retried with the common {@link Retrier},
 * never sooner than the receiver's {@code Retry-After} (up to a cap); any other 4xx is recorded as
 * rejected at once and reported, so a revoked webhook never holds up other channels.
 */
public final class ChannelDelivery {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelDelivery.class);
  /** Slack's documented rate for posting to one channel. */
  static final double SLACK_MESSAGES_PER_SECOND = 1.0;

  private final ChannelPoster poster;
  private final NotificationStore store;
  private final NotificationLedger ledger;
  private final Clock clock;
  private final MeterRegistry meters;
  private final ProtocolListener listener;
  private final Sleeper sleeper;
  private final int maxAttempts;
  private final Duration retryAfterMax;
  private final Retrier retrier;
  private final SlackThreads threads = new SlackThreads(new com.fasterxml.jackson.databind.ObjectMapper());
  private final Map<ChannelKind, Timer> unrecordedWindows = new HashMap<>();
  /** Slack takes about one message a second per channel: posts to one channel wait their turn here rather than be refused. */
  private final Map<String, CallRateLimiter> slackChannels = new HashMap<>();

  public ChannelDelivery(ChannelPoster poster, NotificationStore store, NotificationLedger ledger, Clock clock,
      MeterRegistry meters, ProtocolListener listener, Sleeper sleeper, int maxAttempts, Duration backoff,
      Duration backoffMax, Duration retryAfterMax) {
    this.poster = poster;
    this.store = store;
    this.ledger = ledger;
    this.clock = clock;
    this.meters = meters;
    this.listener = listener;
    this.sleeper = sleeper;
    this.maxAttempts = maxAttempts;
    this.retryAfterMax = retryAfterMax;
    // Doubling pauses without jitter, as for mail: one notifier posts one message at a time.
    this.retrier = new Retrier(new Backoff(maxAttempts, backoff, backoffMax, Backoff.Jitter.NONE),
        failure -> failure instanceof ChannelPostException e && e.kind() == MailSendException.Kind.RETRYABLE, sleeper);
    for (ChannelKind kind : ChannelKind.values()) {
      // The in-flight window: a crash after the receiver took a post and before its sent record is
      // durable makes the restarted notifier post again (with the same Idempotency-Key).
      unrecordedWindows.put(kind, Timer.builder("casefeed.notifier.channel.unrecorded.window")
          .description("From a channel accepting a post to its sent record being durable in the ledger")
          .tag("channel", kind.configName()).publishPercentiles(0.5, 0.99).register(meters));
    }
  }

  public Delivery.Outcome deliver(ChannelPost post) throws InterruptedException {
    String id = post.notificationId();
    if (ledger.isCompleted(id)) {
      return Delivery.Outcome.ALREADY_DONE;
    }
    ChannelTarget target = post.target();
    OutgoingMail step = asMail(post);
    listener.reached(ProtocolStep.BEFORE_INTENT, step);
    if (!ledger.isIntended(id)) {
      record(post, NotificationLedger.INTENDED, null, null, null);
    } else {
      LOG.info("finishing post {} intended before a restart", id);
    }
    listener.reached(ProtocolStep.INTENT_WRITTEN, step);
    int[] attempts = {0};
    // Decided after the intent: a restart that finishes this post finds the thread in the ledger as it was.
    ChannelPost sending = threads.threaded(post, ledger);
    if (target.kind() == ChannelKind.SLACK) {
      slackChannels.computeIfAbsent(slackChannel(target), c -> new CallRateLimiter(SLACK_MESSAGES_PER_SECOND, 1, clock, sleeper))
          .acquire();
    }
    try {
      String answer = retrier.call(() -> {
        attempts[0]++;
        return poster.post(sending);
      }, (failed, failure, pause) -> {
        Duration wait = honourRetryAfter(failure, pause);
        LOG.warn("{} did not take {} (attempt {}/{}): {}; retrying in {} ms", target.ledgerName(), id, failed, maxAttempts,
            failure.getMessage(), wait.toMillis());
        meters.counter("casefeed.notifier.channel.retries", "channel", target.kind().configName()).increment();
      });
      Instant accepted = clock.instant();
      listener.reached(ProtocolStep.SES_ACCEPTED, step);
      record(post, NotificationLedger.SENT, answer, null, threads.placement(sending, answer).orElse(null));
      unrecordedWindows.get(target.kind()).record(Duration.between(accepted, clock.instant()));
      listener.reached(ProtocolStep.COMPLETION_WRITTEN, step);
      count(target, NotificationLedger.SENT);
      LOG.info("posted {} to {} ({}, {})", post.summary(), target.ledgerName(), id, answer);
      return Delivery.Outcome.SENT;
    } catch (ChannelPostException e) {
      boolean rejected = e.kind() == MailSendException.Kind.REJECTED;
      String stage = rejected ? NotificationLedger.REJECTED : NotificationLedger.FAILED;
      String error = (rejected ? "rejected: " : "failed after " + attempts[0] + " attempt(s): ") + e.getMessage();
      record(post, stage, null, error, null);
      listener.reached(ProtocolStep.COMPLETION_WRITTEN, step);
      count(target, stage);
      LOG.error("{} NOT posted to {}, {} ({}): {}", post.summary(), target.ledgerName(), stage, id, error);
      return rejected ? Delivery.Outcome.REJECTED : Delivery.Outcome.FAILED;
    }
  }

  /**
   * The Retrier is about to pause {@code pause}; a receiver that asked for longer ({@code Retry-After},
   * capped) gets the difference first, through the same Sleeper.
   */
  private Duration honourRetryAfter(Throwable failure, Duration pause) {
    if (!(failure instanceof ChannelPostException e) || e.retryAfter() == null) {
      return pause;
    }
    Duration asked = e.retryAfter().compareTo(retryAfterMax) > 0 ? retryAfterMax : e.retryAfter();
    Duration extra = asked.minus(pause);
    if (extra.isNegative() || extra.isZero()) {
      return pause;
    }
    try {
      sleeper.sleep(extra);
    } catch (InterruptedException interrupted) {
      // The Retrier's own pause, next, sees the flag and ends the call.
      Thread.currentThread().interrupt();
    }
    return asked;
  }

  /** The post as the protocol listener knows a notification (crash tests stop at its steps by it). */
  private static OutgoingMail asMail(ChannelPost post) {
    return new OutgoingMail(post.notificationId(), ChannelIds.kind(post.notificationId()), post.group(), post.target().ledgerName(), post.period(),
        new RenderedMail(post.summary(), post.bodyText(), null, null, null));
  }

  /** One Slack channel: a Web API target's channel at its API URL, or an incoming webhook (bound to one channel). */
  private static String slackChannel(ChannelTarget target) {
    return target.address() != null ? target.url() + "#" + target.address() : String.valueOf(target.url());
  }

  private void record(ChannelPost post, String stage, String answer, String error, SlackThreads.Placement thread) {
    NotificationRecord record = NotificationRecord.newBuilder()
        .setMailId(post.notificationId())
        .setKind(ChannelIds.kind(post.notificationId()))
        .setStage(stage)
        .setRecipientGroup(post.group())
        .setRecipient(post.target().ledgerName())
        .setPeriod(post.period())
        .setSubject(post.summary())
        // The receiver's answer ("HTTP 200", an SNS MessageId, a Slack ts) in the field SES's message id has.
        .setSesMessageId(answer)
        .setError(error)
        .setThreadTs(thread == null ? null : thread.root())
        .setThreadKey(thread == null ? null : thread.key())
        .setRecordedAt(clock.instant())
        .build();
    store.write(record);
    ledger.apply(post.notificationId(), record);
  }

  private void count(ChannelTarget target, String outcome) {
    Counter.builder("casefeed.notifier.channel.posts").description("Channel posts by channel kind and outcome")
        .tag("channel", target.kind().configName()).tag("outcome", outcome).register(meters).increment();
  }
}
