package io.casefeed.localcloud.aws;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * SigV4's canonical URI for every service but S3: the path as sent, each segment URI-encoded once
 * more (so {@code /v2/email/identities/a%40b.com} is signed as {@code ...a%2540b.com}), as botocore
 * and the AWS SDKs sign it.
 */
final class CanonicalUri {

  private CanonicalUri() {
  }

  static String of(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    StringBuilder encoded = new StringBuilder(rawPath.length() + 16);
    for (byte b : rawPath.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
          || c == '~' || c == '/') {
        encoded.append(c);
      } else {
        encoded.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
      }
    }
    return encoded.toString();
  }
}
