package io.casefeed.localcloud.ses;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Just enough MIME: build a message from SES's simple content, and read the envelope of a raw one. */
final class MimeMessages {

  private static final String CRLF = "\r\n";

  private MimeMessages() {
  }

  /** An RFC 5322 message with a text and/or HTML part, bodies base64 in UTF-8. */
  static byte[] build(String messageId, String from, List<String> to, List<String> cc, String subject,
      String text, String html, Instant date) {
    StringBuilder mime = new StringBuilder();
    mime.append("From: ").append(from).append(CRLF);
    if (!to.isEmpty()) {
      mime.append("To: ").append(String.join(", ", to)).append(CRLF);
    }
    if (!cc.isEmpty()) {
      mime.append("Cc: ").append(String.join(", ", cc)).append(CRLF);
    }
    mime.append("Subject: ").append(encodeHeader(subject == null ? "" : subject)).append(CRLF);
    mime.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(date.atZone(ZoneOffset.UTC))).append(CRLF);
    mime.append("Message-ID: <").append(messageId).append("@email.amazonses.com>").append(CRLF);
    mime.append("MIME-Version: 1.0").append(CRLF);
    if (text != null && html != null) {
      String boundary = "=_" + messageId.replaceAll("[^A-Za-z0-9]", "");
      mime.append("Content-Type: multipart/alternative; boundary=\"").append(boundary).append('"').append(CRLF).append(CRLF);
      mime.append("--").append(boundary).append(CRLF);
      part(mime, "text/plain", text);
      mime.append("--").append(boundary).append(CRLF);
      part(mime, "text/html", html);
      mime.append("--").append(boundary).append("--").append(CRLF);
    } else {
      part(mime, html != null ? "text/html" : "text/plain", html != null ? html : text == null ? "" : text);
    }
    return mime.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void part(StringBuilder mime, String contentType, String body) {
    mime.append("Content-Type: ").append(contentType).append("; charset=UTF-8").append(CRLF);
    mime.append("Content-Transfer-Encoding: base64").append(CRLF).append(CRLF);
    mime.append(Base64.getMimeEncoder(76, CRLF.getBytes(StandardCharsets.US_ASCII))
        .encodeToString(body.getBytes(StandardCharsets.UTF_8))).append(CRLF);
  }

  private static String encodeHeader(String value) {
    boolean ascii = value.chars().allMatch(c -> c >= 32 && c < 127);
    return ascii ? value : "=?UTF-8?B?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
  }

  /** The top-level headers of a raw message, names lower-cased, folded lines joined. */
  static Map<String, String> headers(byte[] raw) {
    String text = new String(raw, StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      end = text.indexOf("\n\n");
    }
    String head = end < 0 ? text : text.substring(0, end);
    Map<String, String> headers = new LinkedHashMap<>();
    String name = null;
    for (String line : head.split("\r?\n")) {
      if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
        headers.put(name, headers.get(name) + " " + line.trim());
        continue;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim();
        headers.merge(name, value, (a, b) -> a + ", " + b);
      }
    }
    return headers;
  }

  /** The bare addresses of an address-list header ({@code "Name" <a@b>, c@d}). */
  static List<String> addresses(String header) {
    List<String> addresses = new ArrayList<>();
    if (header == null) {
      return addresses;
    }
    for (String part : header.split(",")) {
      String address = bareAddress(part);
      if (!address.isEmpty()) {
        addresses.add(address);
      }
    }
    return addresses;
  }

  static String bareAddress(String address) {
    String trimmed = address.trim();
    int open = trimmed.lastIndexOf('<');
    int close = trimmed.lastIndexOf('>');
    return open >= 0 && close > open ? trimmed.substring(open + 1, close).trim() : trimmed;
  }
}
