package io.casefeed.notifier.delivery;

/** A send that did not succeed, classified so the protocol knows whether to retry. */
public final class MailSendException extends Exception {

  /** What to do about it. */
  public enum Kind {
    /** Throttling, 5xx, network: try again after a pause. */
    RETRYABLE,
    /** SES refused this mail (MessageRejected, e.g. an unverified address in the sandbox): report, never retry. */
    REJECTED,
    /** Anything else that retrying will not fix (bad request, sending paused, unverified sender). */
    PERMANENT
  }

  private final Kind kind;

  public MailSendException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
