package io.casefeed.notifier.channel;

import io.casefeed.notifier.delivery.MailSendException;
import java.time.Duration;

/**
 * A post that did not succeed, classified with the same kinds as a mail ({@link MailSendException.Kind}):
 * RETRYABLE for 429, 5xx and network trouble, REJECTED for any other 4xx (a revoked webhook, an
 * unknown channel: retrying will not help), PERMANENT for what casefeed itself got wrong.
 *
 * @see ChannelDelivery
 */
public final class ChannelPostException extends Exception {

  private final MailSendException.Kind kind;
  private final int status;
  private final Duration retryAfter;

  /**
   * @param status the HTTP status, 0 when there was no answer
   * @param retryAfter what the receiver asked for in {@code Retry-After}, or null
   */
  public ChannelPostException(MailSendException.Kind kind, int status, Duration retryAfter, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.status = status;
    this.retryAfter = retryAfter;
  }

  public MailSendException.Kind kind() {
    return kind;
  }

  public int status() {
    return status;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
