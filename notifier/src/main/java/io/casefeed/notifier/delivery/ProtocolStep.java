package io.casefeed.notifier.delivery;

/** The steps of sending one mail; a crash between any two is recovered at restart (see docs/notifier.md). */
public enum ProtocolStep {
  /** Content built, nothing written yet. */
  BEFORE_INTENT,
  /** The intended record is durable (acks=all); SES not called yet. */
  INTENT_WRITTEN,
  /** SES accepted the mail; its completion record is not written yet: the one remaining window. */
  SES_ACCEPTED,
  /** The sent/rejected/failed record is durable. */
  COMPLETION_WRITTEN
}
