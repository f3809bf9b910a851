package io.casefeed.notifier.resend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The value of {@code casefeed.notifier-resends}: JSON (the notifier's own topic, read by
 * {@code casefeed notifications} too), the message gzipped and base64-encoded in {@code rawGzip}.
 * A message whose gzipped form is over {@link #MAX_KEPT_BYTES} is not kept: the record stays under
 * Kafka's default 1 MB limit, and the mail is reported and waits for an operator instead.
 */
public final class FailedMailCodec {

  /** Gzipped bytes of a message kept for resending at most; base64 makes them a third bigger. */
  public static final int MAX_KEPT_BYTES = 700 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private FailedMailCodec() {}

  public static byte[] encode(FailedMail mail) {
    ObjectNode node = JSON.createObjectNode()
        .put("mailId", mail.mailId()).put("kind", mail.kind()).put("group", mail.group()).put("recipient", mail.recipient())
        .put("period", mail.period()).put("subject", mail.subject()).put("failures", mail.failures())
        .put("firstFailedAt", iso(mail.firstFailedAt())).put("lastFailedAt", iso(mail.lastFailedAt()))
        .put("lastError", mail.lastError()).put("nextAttemptAt", iso(mail.nextAttemptAt()));
    node.put("rawGzip", mail.raw() == null ? null : Base64.getEncoder().encodeToString(gzip(mail.raw())));
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @throws IllegalArgumentException for a value that is not a kept failed mail */
  public static FailedMail decode(byte[] value) {
    try {
      JsonNode node = JSON.readTree(value);
      if (node == null || !node.isObject() || !node.path("mailId").isTextual()) {
        throw new IllegalArgumentException("not a failed mail: no mailId");
      }
      String raw = text(node, "rawGzip");
      return new FailedMail(node.path("mailId").asText(), text(node, "kind"), text(node, "group"), text(node, "recipient"),
          text(node, "period"), text(node, "subject"), raw == null ? null : gunzip(Base64.getDecoder().decode(raw)),
          node.path("failures").asInt(), instant(node, "firstFailedAt"), instant(node, "lastFailedAt"), text(node, "lastError"),
          instant(node, "nextAttemptAt"));
    } catch (IOException e) {
      throw new IllegalArgumentException("not a failed mail: " + e.getMessage(), e);
    }
  }

  /** Whether {@code raw} can be kept for resending: its gzipped form fits. */
  public static boolean fits(byte[] raw) {
    return gzip(raw).length <= MAX_KEPT_BYTES;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Instant instant(JsonNode node, String field) {
    String text = text(node, field);
    return text == null ? null : Instant.parse(text);
  }

  private static String iso(Instant at) {
    return at == null ? null : at.toString();
  }

  private static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] zipped) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped))) {
      return in.readAllBytes();
    }
  }
}
