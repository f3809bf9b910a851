package io.casefeed.app.demo;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A mail as its reader sees it: the raw MIME with every base64 part decoded after it, to search for text. */
final class MailText {

  private static final Pattern BASE64_PART =
      Pattern.compile("Content-Transfer-Encoding: base64\r\n(?:[^\r\n]+\r\n)*\r\n([A-Za-z0-9+/=\r\n]+)");

  private MailText() {}

  static String of(byte[] rawMime) {
    String raw = new String(rawMime, StandardCharsets.UTF_8);
    StringBuilder text = new StringBuilder(raw);
    Matcher part = BASE64_PART.matcher(raw);
    while (part.find()) {
      text.append('\n').append(new String(Base64.getMimeDecoder().decode(part.group(1).trim()), StandardCharsets.UTF_8));
    }
    return text.toString();
  }
}
