package io.casefeed.notifier.delivery;

import io.casefeed.notifier.render.RenderedMail;

/** One mail to one recipient, with the deterministic id that makes it sent once. */
public record OutgoingMail(String mailId, String kind, String group, String recipient, String period, RenderedMail content) {

  public static final String DIGEST = "digest";
  public static final String ALERT = "alert";
}
