package io.casefeed.localcloud.aws;

import io.casefeed.localcloud.protocol.AwsServiceException;
import io.casefeed.common.http.HttpProblem;
import io.casefeed.common.http.QueryString;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.internal.signer.CredentialScope;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4CanonicalRequest;
import software.amazon.awssdk.http.auth.aws.internal.signer.util.SignerUtils;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.BinaryUtils;
import software.amazon.awssdk.utils.Pair;

/**
 * Re-signs what a client says it signed with the AWS SDK's own SigV4 code, and compares: the SDK
 * builds the canonical URI (encoded twice and normalised) and query (sorted and encoded),
 * normalises the listed header values, derives the signing key (with its cache) and computes the
 * HMAC, so local-cloud keeps no hand-written copy of the algorithm.
 *
 * <p>Why the SDK's canonical request and key derivation rather than {@code AwsV4HttpSigner.sign}:
 * that entry point adds and signs {@code x-amz-content-sha256} on every request, which botocore and
 * the AWS CLI do not sign for these services, so a CLI request re-signed through it could never
 * match; and its canonical request leaves out headers other clients sign (the AWS SDK for Java v1
 * signs {@code User-Agent}), so the headers are the ones the client listed, as AWS takes them.
 * These classes are the ones {@code AwsV4HttpSigner} signs with. They are marked SDK-internal: the
 * SDK's version is pinned in the parent POM, and {@code SdkResignerTest} checks AWS's documented
 * example, botocore-signed requests and the SDK's own client signer, so an upgrade that changes them
 * fails the build.
 */
final class SdkResigner {

  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final V4CanonicalRequest.Options AS_SDKS_SIGN = new V4CanonicalRequest.Options(true, true);
  private static final Set<String> SDK_METHODS = Arrays.stream(SdkHttpMethod.values()).map(Enum::name)
      .collect(Collectors.toUnmodifiableSet());

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
   * malformed date, a method no SDK sends, a path {@code java.net.URI} cannot hold, or a header list
   * that is not lower case, sorted and unique or names a header the request does not carry.
   */
  static String signature(Signed signed, String accessKeyId, String secret, String skipQuery) {
    if (signed.amzDate() == null || !SDK_METHODS.contains(signed.method())) {
      return null;
    }
    List<Pair<String, List<String>>> signedHeaders = signedHeaders(signed);
    if (signedHeaders == null) {
      return null;
    }
    Instant signedAt = SignatureScope.parseAmzDate(signed.amzDate());
    if (signedAt == null) {
      return null;
    }
    SdkHttpRequest.Builder request = SdkHttpRequest.builder()
        .method(SdkHttpMethod.valueOf(signed.method()))
        .protocol("http")
        // The URI's host is a placeholder the SDK needs to build one; the signed Host header is what counts.
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
    String[] methodUriQuery;
    try {
      // Built without headers: its first three lines are the method, the canonical URI and query.
      methodUriQuery = new V4CanonicalRequest(request.build(), signed.payloadHash(), AS_SDKS_SIGN)
          .getCanonicalRequestString().split("\n", 4);
    } catch (IllegalArgumentException e) {
      // A path java.net.URI cannot hold cannot have been signed by an SDK either.
      return null;
    }
    CredentialScope scope = new CredentialScope(signed.region(), signed.service(), signedAt);
    if (!scope.getDate().equals(signed.date())) {
      return null;
    }
    // The headers as the client listed them: the SDK's own signer leaves out some a client may sign
    // (the AWS SDK for Java v1 signs User-Agent), but its value normalisation is SigV4's.
    String canonical = methodUriQuery[0] + '\n' + methodUriQuery[1] + '\n' + methodUriQuery[2] + '\n'
        + V4CanonicalRequest.getCanonicalHeadersString(signedHeaders) + '\n' + signed.signedHeaders() + '\n'
        + signed.payloadHash();
    String stringToSign = ALGORITHM + '\n' + signed.amzDate() + '\n' + scope.scope() + '\n'
        + SignerUtils.hashCanonicalRequest(canonical);
    byte[] key = SignerUtils.deriveSigningKey(AwsCredentialsIdentity.create(accessKeyId, secret), scope);
    return BinaryUtils.toHex(SignerUtils.computeSignature(stringToSign, key));
  }

  /** The listed headers with the request's values; null unless the list is lower case, sorted, unique and all present. */
  private static List<Pair<String, List<String>>> signedHeaders(Signed signed) {
    if (signed.signedHeaders() == null || signed.signedHeaders().isEmpty()) {
      return null;
    }
    List<Pair<String, List<String>>> headers = new ArrayList<>();
    String previous = "";
    for (String name : signed.signedHeaders().split(";", -1)) {
      if (name.isEmpty() || !name.equals(name.toLowerCase(Locale.ROOT)) || name.compareTo(previous) <= 0) {
        return null;
      }
      List<String> values = signed.headers().apply(name);
      if (values == null || values.isEmpty()) {
        return null;
      }
      headers.add(Pair.of(name, values));
      previous = name;
    }
    return headers;
  }

  /** The hex SHA-256 of a body, as a client puts it in the canonical request. */
  static String sha256Hex(byte[] body) {
    return BinaryUtils.toHex(SignerUtils.hash(body));
  }
}
