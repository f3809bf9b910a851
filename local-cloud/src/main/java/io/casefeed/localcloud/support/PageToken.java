package io.casefeed.localcloud.support;

import io.casefeed.localcloud.protocol.AwsServiceException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An opaque nextToken: where the next page starts, bound to the account and the filters it was
 * issued with, so a token reused with other filters is refused as AWS refuses it.
 */
record PageToken(String filterDigest, String position) {

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  String encode() {
    return ENCODER.encodeToString(("v1\n" + filterDigest + "\n" + position).getBytes(StandardCharsets.UTF_8));
  }

  /** The position a token points at, after checking it was issued for these filters. */
  static String positionOf(String token, String filterDigest) {
    String text;
    try {
      text = new String(DECODER.decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw AwsServiceException.validation("Invalid pagination token");
    }
    String[] parts = text.split("\n", 3);
    if (parts.length != 3 || !"v1".equals(parts[0])) {
      throw AwsServiceException.validation("Invalid pagination token");
    }
    if (!parts[1].equals(filterDigest)) {
      throw AwsServiceException.validation("The pagination token was issued for different request parameters");
    }
    return parts[2];
  }

  static String digest(String filters) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(filters.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
