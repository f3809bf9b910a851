package io.casefeed.notifier.resend;

import java.time.Instant;

/**
 * A mail that failed after its retries, kept on {@code casefeed.notifier-resends} to be sent again:
 * the very message SES did not take (same Message-ID), and how its resends went.
 *
 * @param raw the MIME message as it was to be sent; null when it was too big to keep (then it is only reported)
 * @param failures delivery rounds that failed: the first send's, then one per resend
 * @param nextAttemptAt when it is sent again; null once the resends are used up and it waits for an operator
 */
public record FailedMail(String mailId, String kind, String group, String recipient, String period, String subject,
    byte[] raw, int failures, Instant firstFailedAt, Instant lastFailedAt, String lastError, Instant nextAttemptAt) {

  /** Whether the message itself was kept, so it can be resent. */
  public boolean resendable() {
    return raw != null;
  }

  /** Whether it waits for an operator: no resend is planned. */
  public boolean exhausted() {
    return nextAttemptAt == null;
  }

  /** A mail that failed for the first time at {@code at}; {@link Resends#keep} plans its resends. */
  public static FailedMail first(String mailId, String kind, String group, String recipient, String period, String subject,
      byte[] raw, String error, Instant at) {
    return new FailedMail(mailId, kind, group, recipient, period, subject, raw, 1, at, at, error, null);
  }

  /** After one more failed round, at {@code at}: next planned at {@code next}, or null for none. */
  public FailedMail failedAgain(String error, Instant at, Instant next) {
    return new FailedMail(mailId, kind, group, recipient, period, subject, raw, failures + 1, firstFailedAt, at, error, next);
  }
}
