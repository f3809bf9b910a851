package io.casefeed.common.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Bearer tokens: long enough not to be guessed, compared in constant time so the comparison leaks
 * nothing of the expected value.
 */
public final class TokenRules {

  /** Shorter tokens are refused at start. */
  public static final int MIN_LENGTH = 16;

  private TokenRules() {}

  /** Why {@code token} is unfit, or null when it is fit. */
  public static String weakness(String token) {
    if (token == null) {
      return null;
    }
    if (token.length() < MIN_LENGTH) {
      return "must be at least " + MIN_LENGTH + " characters long, not " + token.length();
    }
    if (token.isBlank() || !token.equals(token.strip())) {
      return "must not be blank or start or end with white space";
    }
    return null;
  }

  /** Whether an {@code Authorization} header carries {@code Bearer <expected>}. */
  public static boolean bearerMatches(String expected, String authorization) {
    if (authorization == null) {
      // Still compare, so a missing header takes as long as a wrong one.
      authorization = "";
    }
    return MessageDigest.isEqual(("Bearer " + expected).getBytes(StandardCharsets.UTF_8),
        authorization.getBytes(StandardCharsets.UTF_8));
  }

  /** Constant-time equality of two secrets. */
  public static boolean matches(String expected, String given) {
    return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        given.getBytes(StandardCharsets.UTF_8));
  }
}
