package io.casefeed.notifier.mime;

import io.casefeed.notifier.render.RenderedMail;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Builds the raw RFC 5322 / MIME message SES sends as it is: multipart/mixed holding a
 * multipart/alternative (text, then HTML) and the CSV attachment when there is one. Every body is
 * UTF-8 in base64 (76-character lines), so no content can break the structure; boundaries derive
 * from the mail id, so the same mail is the same bytes.
 */
public final class MimeMessageBuilder {

  public static final String MAIL_ID_HEADER = "X-Casefeed-Mail-Id";
  private static final String CRLF = "\r\n";
  private static final Base64.Encoder BODY = Base64.getMimeEncoder(76, CRLF.getBytes(StandardCharsets.US_ASCII));

  private MimeMessageBuilder() {}

  public static byte[] build(String from, String to, String mailId, Instant date, RenderedMail mail) {
    Attachment attachment = mail.attachmentCsv() == null ? null
        : new Attachment("text/csv; charset=UTF-8", mail.attachmentName(), mail.attachmentCsv().getBytes(StandardCharsets.UTF_8));
    return build(from, to, mailId, date, mail, attachment);
  }

  /** What a message carries in place of the CSV when it had to be made smaller (see {@link MessageFitter}). */
  record Attachment(String contentType, String name, byte[] content) {}

  static byte[] build(String from, String to, String mailId, Instant date, RenderedMail mail, Attachment file) {
    String token = HexFormat.of().formatHex(sha256(mailId)).substring(0, 24);
    String mixed = "mixed-" + token;
    String alternative = "alt-" + token;
    StringBuilder m = new StringBuilder();
    header(m, "From", from);
    header(m, "To", to);
    header(m, "Subject", encodeHeader(mail.subject()));
    header(m, "Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(date.atOffset(ZoneOffset.UTC)));
    header(m, "Message-ID", "<" + token + "@casefeed>");
    header(m, MAIL_ID_HEADER, encodeHeader(mailId));
    header(m, "MIME-Version", "1.0");
    boolean attachment = file != null;
    if (attachment) {
      header(m, "Content-Type", "multipart/mixed; boundary=\"" + mixed + "\"");
      m.append(CRLF);
      m.append("--").append(mixed).append(CRLF);
    }
    header(m, "Content-Type", "multipart/alternative; boundary=\"" + alternative + "\"");
    m.append(CRLF);
    m.append("--").append(alternative).append(CRLF);
    part(m, "text/plain; charset=UTF-8", null, mail.text().getBytes(StandardCharsets.UTF_8));
    m.append("--").append(alternative).append(CRLF);
    part(m, "text/html; charset=UTF-8", null, mail.html().getBytes(StandardCharsets.UTF_8));
    m.append("--").append(alternative).append("--").append(CRLF);
    if (attachment) {
      m.append("--").append(mixed).append(CRLF);
      part(m, file.contentType() + "; name=\"" + file.name() + "\"", "attachment; filename=\"" + file.name() + "\"",
          file.content());
      m.append("--").append(mixed).append("--").append(CRLF);
    }
    return m.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static void part(StringBuilder m, String contentType, String disposition, byte[] body) {
    header(m, "Content-Type", contentType);
    header(m, "Content-Transfer-Encoding", "base64");
    if (disposition != null) {
      header(m, "Content-Disposition", disposition);
    }
    m.append(CRLF);
    m.append(BODY.encodeToString(body)).append(CRLF);
  }

  private static void header(StringBuilder m, String name, String value) {
    if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
      throw new IllegalArgumentException(name + " header must be one line");
    }
    m.append(name).append(": ").append(value).append(CRLF);
  }

  /**
   * RFC 2047: plain ASCII stays as it is; anything else becomes base64 encoded-words, each under the
   * 75-character limit and never splitting a UTF-8 character.
   */
  static String encodeHeader(String value) {
    String flat = value.replace('\r', ' ').replace('\n', ' ');
    if (flat.chars().allMatch(c -> c >= 0x20 && c < 0x7f) && flat.length() <= 900) {
      return flat;
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < flat.length()) {
      int end = i;
      int bytes = 0;
      while (end < flat.length()) {
        int cp = flat.codePointAt(end);
        int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
        if (bytes + size > 45) {
          break;
        }
        bytes += size;
        end += Character.charCount(cp);
      }
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append("=?UTF-8?B?")
          .append(Base64.getEncoder().encodeToString(flat.substring(i, end).getBytes(StandardCharsets.UTF_8)))
          .append("?=");
      i = end;
    }
    return out.toString();
  }

  private static byte[] sha256(String text) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
