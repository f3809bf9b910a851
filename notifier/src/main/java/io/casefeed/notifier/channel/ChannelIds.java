package io.casefeed.notifier.channel;

import io.casefeed.notifier.delivery.OutgoingMail;
import java.time.Instant;

/**
 * Deterministic notification ids of posts, in the same scheme as mail ids
 * ({@link io.casefeed.notifier.delivery.MailIds}): the same window, group, target (and event, for a
 * per-event channel) always make the same id, so a replay after a restart finds it in the ledger.
 */
public final class ChannelIds {

  private ChannelIds() {}

  /** A window's post to a target that batches a window into one message. */
  public static String alert(Instant windowStart, String group, ChannelTarget target) {
    return OutgoingMail.ALERT + "|" + windowStart + "|" + group + "|" + target.ledgerName();
  }

  /** One event's post to a per-event target. */
  public static String alertEvent(Instant windowStart, String group, ChannelTarget target, String eventId) {
    return alert(windowStart, group, target) + "|" + eventId;
  }

  /** A digest's summary posted to a target. */
  public static String digest(Instant period, String group, ChannelTarget target) {
    return OutgoingMail.DIGEST + "|" + period + "|" + group + "|" + target.ledgerName();
  }

  /** The kind an id was made for ({@link OutgoingMail#ALERT} or {@link OutgoingMail#DIGEST}): its first field. */
  public static String kind(String notificationId) {
    return notificationId.startsWith(OutgoingMail.DIGEST + "|") ? OutgoingMail.DIGEST : OutgoingMail.ALERT;
  }
}
