package io.casefeed.localcloud.aws;

import io.casefeed.localcloud.protocol.AwsServiceException;
import io.casefeed.common.http.HttpProblem;
import io.casefeed.common.http.QueryString;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pieces of AWS Signature Version 4 that a signed header and a presigned URL share: the canonical query and
 * headers, the derived signing key and the constant-time comparison. One copy, so the two checks cannot drift.
 */
final class SigV4Math {

  private SigV4Math() {}

  /** The canonical query string: every pair URI-encoded, sorted by name then value, without {@code skip}. */
  static String canonicalQuery(String rawQuery, String skip) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    try {
      QueryString.parse(rawQuery).asMultiMap().forEach((name, values) -> {
        if (!name.equals(skip)) {
          values.forEach(value -> pairs.add(new String[] {uriEncode(name), uriEncode(value)}));
        }
      });
    } catch (HttpProblem e) {
      throw new AwsServiceException(400, "MalformedQueryString", "Malformed query string: " + e.getMessage());
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    List<String> joined = new ArrayList<>(pairs.size());
    pairs.forEach(pair -> joined.add(pair[0] + "=" + pair[1]));
    return String.join("&", joined);
  }

  /** One {@code name:value} line per signed header, values trimmed with inner runs of spaces folded. */
  static String canonicalHeaders(String signedHeaders, Function<String, List<String>> headers) {
    StringBuilder lines = new StringBuilder(256);
    for (String name : signedHeaders.split(";")) {
      List<String> values = headers.apply(name);
      List<String> normalised = new ArrayList<>();
      if (values != null) {
        values.forEach(value -> normalised.add(value.trim().replaceAll(" +", " ")));
      }
      lines.append(name.toLowerCase(Locale.ROOT)).append(':').append(String.join(",", normalised)).append('\n');
    }
    return lines.toString();
  }

  /** The hex signature of {@code stringToSign} with the key derived from the secret and the credential scope. */
  static String signature(String secret, String date, String region, String service, String stringToSign) {
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    return HexFormat.of().formatHex(hmac(key, stringToSign));
  }

  /** Compares in constant time, so a caller cannot learn a signature byte by byte. */
  static boolean same(String expected, String given) {
    return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
  }

  static String sha256Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256Hex(String text) {
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }

  /** RFC 3986 unreserved characters stay, everything else is %XX of its UTF-8 bytes, as SigV4 requires. */
  static String uriEncode(String text) {
    StringBuilder encoded = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
        encoded.append(c);
      } else {
        encoded.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
      }
    }
    return encoded.toString();
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
