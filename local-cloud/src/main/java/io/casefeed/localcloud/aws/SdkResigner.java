package io.casefeed.localcloud.aws;

import io.casefeed.localcloud.protocol.AwsServiceException;
import io.casefeed.common.http.HttpProblem;
import io.casefeed.common.http.QueryString;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.internal.signer.CredentialScope;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4CanonicalRequest;
import software.amazon.awssdk.http.auth.aws.internal.signer.util.SignerUtils;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.BinaryUtils;

/**
 * Re-signs what a client says it signed with the AWS SDK's own SigV4 code, and compares: the SDK
 * builds the canonical request (URI encoded twice and normalised, query and headers sorted and
 * encoded, header values trimmed), derives the signing key (with its cache) and computes the HMAC,
 * so local-cloud keeps no hand-written copy of the algorithm.
 *
 * <p>Why the SDK's canonical request and key derivation rather than {@code AwsV4HttpSigner.sign}:
 * that entry point adds and signs {@code x-amz-content-sha256} on every request, which botocore and
 * the AWS CLI do not sign for these services, so a CLI request re-signed through it could never
 * match. These classes are the ones {@code AwsV4HttpSigner} signs with. They are marked SDK-internal:
 * the SDK's version is pinned in the parent POM, and {@code SdkResignerTest} checks AWS's documented
 * example and the SDK's own client signer, so an upgrade that changes them fails the build.
 */
final class SdkResigner {

  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
      .withZone(ZoneOffset.UTC);
  private static final V4CanonicalRequest.Options AS_SDKS_SIGN = new V4CanonicalRequest.Options(true, true);

  /**
   * What the client signed.
   *
   * @param rawQuery the query as sent, without the signature itself (a presigned URL's {@code X-Amz-Signature})
   * @param headers the request's header values by name (any case)
   * @param signedHeaders the client's {@code SignedHeaders} list, as sent
   * @param payloadHash the hex SHA-256 of the body, or {@code UNSIGNED-PAYLOAD}
   */
  record Signed(String method, String rawPath, String rawQuery, Function<String, List<String>> headers,
      String signedHeaders, String payloadHash, String amzDate, String date, String region, String service) {
  }

  private SdkResigner() {
  }

  /** True when {@code given} is the signature of {@code signed} with {@code secret}, compared in constant time. */
  static boolean matches(Signed signed, String accessKeyId, String secret, String given, String skipQuery) {
    String expected = signature(signed, accessKeyId, secret, skipQuery);
    return expected != null && given != null
        && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * The hex signature of {@code signed}, or null when it cannot have been signed as SigV4 signs: a
   * malformed date or path, or a header list the SDK would not sign as given (a listed header
   * absent from the request, one SigV4 never signs, or a list out of order).
   */
  static String signature(Signed signed, String accessKeyId, String secret, String skipQuery) {
    if (signed.amzDate() == null || signed.signedHeaders() == null) {
      return null;
    }
    Instant signedAt;
    try {
      signedAt = Instant.from(AMZ_DATE.parse(signed.amzDate()));
    } catch (DateTimeParseException e) {
      return null;
    }
    SdkHttpRequest.Builder request = SdkHttpRequest.builder()
        .method(SdkHttpMethod.fromValue(signed.method()))
        .protocol("http")
        // Only the signed Host header counts; the URI's host is a placeholder the SDK needs to build one.
        .host("localhost")
        .encodedPath(signed.rawPath() == null || signed.rawPath().isEmpty() ? "/" : signed.rawPath());
    try {
      QueryString.parse(signed.rawQuery()).asMultiMap().forEach((name, values) -> {
        if (!name.equals(skipQuery)) {
          request.putRawQueryParameter(name, values);
        }
      });
    } catch (HttpProblem e) {
      throw new AwsServiceException(400, "MalformedQueryString", "Malformed query string: " + e.getMessage());
    }
    for (String name : signed.signedHeaders().split(";")) {
      List<String> values = signed.headers().apply(name);
      if (values != null && !values.isEmpty()) {
        request.putHeader(name, values);
      }
    }
    V4CanonicalRequest canonical;
    try {
      canonical = new V4CanonicalRequest(request.build(), signed.payloadHash(), AS_SDKS_SIGN);
      if (!canonical.getSignedHeadersString().equals(signed.signedHeaders())) {
        return null;
      }
    } catch (IllegalArgumentException e) {
      // A path java.net.URI cannot hold cannot have been signed by an SDK either.
      return null;
    }
    CredentialScope scope = new CredentialScope(signed.region(), signed.service(), signedAt);
    if (!scope.getDate().equals(signed.date())) {
      return null;
    }
    String stringToSign = ALGORITHM + '\n' + signed.amzDate() + '\n' + scope.scope() + '\n'
        + SignerUtils.hashCanonicalRequest(canonical.getCanonicalRequestString());
    byte[] key = SignerUtils.deriveSigningKey(AwsCredentialsIdentity.create(accessKeyId, secret), scope);
    return BinaryUtils.toHex(SignerUtils.computeSignature(stringToSign, key));
  }

  /** The hex SHA-256 of a body, as a client puts it in the canonical request. */
  static String sha256Hex(byte[] body) {
    return BinaryUtils.toHex(SignerUtils.hash(body));
  }
}
