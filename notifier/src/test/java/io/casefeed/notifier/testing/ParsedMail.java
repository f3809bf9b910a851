package io.casefeed.notifier.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads back the MIME structure the notifier writes (headers, nested multiparts, base64 bodies),
 * independently of the builder, so tests check the bytes a mail client would get.
 */
public final class ParsedMail {

  public final Map<String, String> headers;
  public final String text;
  public final String html;
  public final Map<String, String> attachments;
  /** The attachments as bytes (a gzipped one is not text), with their Content-Type. */
  public final Map<String, byte[]> attachmentBytes;
  public final Map<String, String> attachmentTypes;

  private ParsedMail(Map<String, String> headers, String text, String html, Map<String, String> attachments,
      Map<String, byte[]> attachmentBytes, Map<String, String> attachmentTypes) {
    this.headers = headers;
    this.text = text;
    this.html = html;
    this.attachments = attachments;
    this.attachmentBytes = attachmentBytes;
    this.attachmentTypes = attachmentTypes;
  }

  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  public String subject() {
    return decodeWords(header("Subject"));
  }

  public static ParsedMail parse(byte[] raw) {
    String message = new String(raw, StandardCharsets.UTF_8);
    List<Part> leaves = new ArrayList<>();
    Part root = Part.parse(message);
    collect(root, leaves);
    String text = null;
    String html = null;
    Map<String, String> attachments = new LinkedHashMap<>();
    Map<String, byte[]> attachmentBytes = new LinkedHashMap<>();
    Map<String, String> attachmentTypes = new LinkedHashMap<>();
    for (Part leaf : leaves) {
      String type = leaf.headers.getOrDefault("content-type", "text/plain");
      String disposition = leaf.headers.get("content-disposition");
      String body = leaf.decodedBody();
      if (disposition != null && disposition.startsWith("attachment")) {
        attachments.put(param(disposition, "filename"), body);
        attachmentBytes.put(param(disposition, "filename"), leaf.decodedBytes());
        attachmentTypes.put(param(disposition, "filename"), type);
      } else if (type.startsWith("text/plain")) {
        text = body;
      } else if (type.startsWith("text/html")) {
        html = body;
      }
    }
    return new ParsedMail(root.headers, text, html, attachments, attachmentBytes, attachmentTypes);
  }

  private static void collect(Part part, List<Part> leaves) {
    String type = part.headers.getOrDefault("content-type", "text/plain");
    if (!type.startsWith("multipart/")) {
      leaves.add(part);
      return;
    }
    String boundary = param(type, "boundary");
    String[] chunks = part.body.split(Pattern.quote("--" + boundary));
    for (int i = 1; i < chunks.length; i++) {
      String chunk = chunks[i];
      if (chunk.startsWith("--")) {
        break;
      }
      collect(Part.parse(chunk.replaceFirst("^\r?\n", "")), leaves);
    }
  }

  private static String param(String header, String name) {
    Matcher m = Pattern.compile(name + "=\"?([^\";]+)\"?").matcher(header);
    return m.find() ? m.group(1) : null;
  }

  private static String decodeWords(String value) {
    if (value == null) {
      return null;
    }
    Matcher m = Pattern.compile("=\\?UTF-8\\?B\\?([^?]*)\\?=").matcher(value);
    if (!m.find()) {
      return value;
    }
    StringBuilder out = new StringBuilder();
    m.reset();
    while (m.find()) {
      out.append(new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  private record Part(Map<String, String> headers, String body) {
    static Part parse(String text) {
      int split = text.indexOf("\r\n\r\n");
      String head = split < 0 ? text : text.substring(0, split);
      String body = split < 0 ? "" : text.substring(split + 4);
      Map<String, String> headers = new LinkedHashMap<>();
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
      }
      return new Part(headers, body);
    }

    String decodedBody() {
      return new String(decodedBytes(), StandardCharsets.UTF_8);
    }

    byte[] decodedBytes() {
      if ("base64".equalsIgnoreCase(headers.get("content-transfer-encoding"))) {
        return Base64.getMimeDecoder().decode(body.trim());
      }
      return body.getBytes(StandardCharsets.UTF_8);
    }
  }
}
