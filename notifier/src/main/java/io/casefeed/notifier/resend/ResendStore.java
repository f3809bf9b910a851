package io.casefeed.notifier.resend;

/** Where failed mails are kept durably: {@code casefeed.notifier-resends}, keyed by mail id. */
@FunctionalInterface
public interface ResendStore {

  /** Writes the mail's latest state, or a tombstone ({@code mail} null) once it needs nothing more. */
  void write(String mailId, FailedMail mail);
}
