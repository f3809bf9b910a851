package io.casefeed.notifier.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Deterministic mail ids: the same digest period (or alert window), group and recipient always make
 * the same id, which keys the notifications topic and travels with the mail.
 */
public final class MailIds {

  private MailIds() {}

  public static String digest(Instant period, String group, String recipient) {
    return OutgoingMail.DIGEST + "|" + period + "|" + group + "|" + recipient;
  }

  public static String alert(Instant windowStart, String group, String recipient) {
    return OutgoingMail.ALERT + "|" + windowStart + "|" + group + "|" + recipient;
  }

  /** The id as an SES message tag value, which allows only [A-Za-z0-9_-]: its SHA-256, 32 hex digits. */
  public static String tagValue(String mailId) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(mailId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
