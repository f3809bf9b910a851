package io.casefeed.localcloud.aws;

import java.util.Locale;

/**
 * The parts of a SigV4 {@code Authorization} header local-cloud uses:
 * {@code AWS4-HMAC-SHA256 Credential=<AKID>/<date>/<region>/<service>/aws4_request, SignedHeaders=..., Signature=...}.
 */
public record SigV4Authorization(String accessKeyId, String date, String region, String service,
    String signedHeaders, String signature) {

  /** Parses the header; null when it is not a well-formed SigV4 header. */
  public static SigV4Authorization parse(String header) {
    if (header == null || !header.startsWith(SdkResigner.ALGORITHM + " ")) {
      return null;
    }
    String credential = null;
    String signedHeaders = null;
    String signature = null;
    for (String part : header.substring(SdkResigner.ALGORITHM.length() + 1).split(",")) {
      String trimmed = part.trim();
      int equals = trimmed.indexOf('=');
      if (equals < 0) {
        continue;
      }
      String name = trimmed.substring(0, equals).toLowerCase(Locale.ROOT);
      String value = trimmed.substring(equals + 1);
      switch (name) {
        case "credential" -> credential = value;
        case "signedheaders" -> signedHeaders = value;
        case "signature" -> signature = value;
        default -> { }
      }
    }
    if (credential == null || signedHeaders == null || signature == null) {
      return null;
    }
    String[] scope = credential.split("/");
    if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
      return null;
    }
    return new SigV4Authorization(scope[0], scope[1], scope[2], scope[3], signedHeaders, signature);
  }
}
