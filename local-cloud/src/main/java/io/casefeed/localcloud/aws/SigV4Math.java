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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pieces of AWS Signature Version 4 that a signed header and a presigned URL share: the canonical query and
 * headers, the derived signing key and the constant-time comparison. One copy, so the two checks cannot drift.
 */
final class SigV4Math {

  /**
   * Derived signing keys by secret and credential scope, as AWS SDKs cache them: the key changes once a day per
   * credential, while deriving it costs four HMACs on every request. Cleared when full (the stand-in issues a few
   * thousand credentials at most; a key is one more HMAC chain away). A memo of a pure function, keyed by everything
   * it reads, so stand-ins sharing a JVM may share it.
   */
  private static final int MAX_SIGNING_KEYS = 16_384;
  private static final Map<KeyScope, byte[]> SIGNING_KEYS = new ConcurrentHashMap<>();

  /** Hashing engines are not thread-safe and costly to look up; each request thread keeps one of each. */
  private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  });
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  });

  private record KeyScope(String secret, String date, String region, String service) {
  }

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
        values.forEach(value -> normalised.add(foldSpaces(value.trim())));
      }
      lines.append(name.toLowerCase(Locale.ROOT)).append(':').append(String.join(",", normalised)).append('\n');
    }
    return lines.toString();
  }

  /** The hex signature of {@code stringToSign} with the key derived from the secret and the credential scope. */
  static String signature(String secret, String date, String region, String service, String stringToSign) {
    if (SIGNING_KEYS.size() >= MAX_SIGNING_KEYS) {
      SIGNING_KEYS.clear();
    }
    byte[] key = SIGNING_KEYS.computeIfAbsent(new KeyScope(secret, date, region, service), SigV4Math::signingKey);
    return HexFormat.of().formatHex(hmac(key, stringToSign));
  }

  private static byte[] signingKey(KeyScope scope) {
    byte[] key = hmac(("AWS4" + scope.secret()).getBytes(StandardCharsets.UTF_8), scope.date());
    key = hmac(key, scope.region());
    key = hmac(key, scope.service());
    return hmac(key, "aws4_request");
  }

  /** Inner runs of spaces become one space (SigV4's header value rule), without a regular expression per value. */
  static String foldSpaces(String value) {
    if (!value.contains("  ")) {
      return value;
    }
    StringBuilder folded = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != ' ' || folded.length() == 0 || folded.charAt(folded.length() - 1) != ' ') {
        folded.append(c);
      }
    }
    return folded.toString();
  }

  /** Compares in constant time, so a caller cannot learn a signature byte by byte. */
  static boolean same(String expected, String given) {
    return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
  }

  static String sha256Hex(byte[] data) {
    // digest() resets the engine, so the thread's next request starts clean.
    return HexFormat.of().formatHex(SHA_256.get().digest(data));
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
      Mac mac = HMAC.get();
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
