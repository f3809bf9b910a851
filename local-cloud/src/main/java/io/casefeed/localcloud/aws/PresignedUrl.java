package io.casefeed.localcloud.aws;

import io.casefeed.localcloud.identity.Caller;
import io.casefeed.localcloud.identity.CredentialStore;
import io.casefeed.localcloud.identity.IssuedCredentials;
import io.casefeed.localcloud.protocol.AwsServiceException;
import io.casefeed.common.http.HttpProblem;
import io.casefeed.common.http.QueryString;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * SigV4 carried in the query string instead of an {@code Authorization} header: a presigned URL, as
 * {@code generate_presigned_url("get_caller_identity")} makes (the EKS token and Vault's AWS auth rely
 * on it). The signature covers the query without {@code X-Amz-Signature}, the signed headers and the
 * payload hash {@code UNSIGNED-PAYLOAD} (botocore) or that of an empty body (the Java and Go SDKs);
 * the URL is good from {@code X-Amz-Date} for {@code X-Amz-Expires} seconds (at most 7 days).
 */
public final class PresignedUrl {

  private static final long MAX_EXPIRES_SECONDS = 7 * 24 * 3600;
  /** X-Amz-Expires that is not a number (a missing one reads as -1, refused as out of range). */
  private static final long MALFORMED = Long.MIN_VALUE;
  private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private PresignedUrl() {
  }

  /** True when the query carries a SigV4 signature. */
  public static boolean carriesSignature(String rawQuery) {
    return rawQuery != null && rawQuery.contains("X-Amz-Signature=");
  }

  /**
   * Who signed the presigned request; throws the Query protocol's errors as STS sends them.
   *
   * @param headers the request's header values by name (any case)
   * @param service local-cloud's name of the service called (see {@link SignatureScope#checkScope})
   */
  public static Caller authenticate(String method, String rawPath, String rawQuery, Function<String, List<String>> headers,
      String service, CredentialStore credentials, Instant now) {
    Map<String, String> query;
    try {
      query = QueryString.parse(rawQuery).asMap();
    } catch (HttpProblem e) {
      throw new AwsServiceException(400, "MalformedQueryString", "Malformed query string: " + e.getMessage());
    }
    if (!SdkResigner.ALGORITHM.equals(query.get("X-Amz-Algorithm"))) {
      throw new AwsServiceException(400, "IncompleteSignature", "Unsupported AWS 'algorithm': '" + query.get("X-Amz-Algorithm") + "'");
    }
    String credential = query.get("X-Amz-Credential");
    String amzDate = query.get("X-Amz-Date");
    String signedHeaders = query.get("X-Amz-SignedHeaders");
    String signature = query.get("X-Amz-Signature");
    String[] scope = credential == null ? new String[0] : credential.split("/");
    if (scope.length != 5 || !"aws4_request".equals(scope[4]) || amzDate == null || signedHeaders == null) {
      throw new AwsServiceException(400, "AuthorizationQueryParametersError",
          "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, "
              + "X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
    }
    IssuedCredentials issued = credentials.find(scope[0]);
    String token = query.get("X-Amz-Security-Token");
    boolean tokenMatches = issued != null && (issued.temporary() ? issued.sessionToken().equals(token) : token == null);
    if (!tokenMatches) {
      throw new AwsServiceException(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
    }
    if (credentials.expired(issued)) {
      throw new AwsServiceException(400, "ExpiredToken", "The security token included in the request is expired");
    }
    long expires;
    try {
      expires = Long.parseLong(query.getOrDefault("X-Amz-Expires", "-1"));
    } catch (NumberFormatException e) {
      expires = MALFORMED;
    }
    Instant signedAt = SignatureScope.parseAmzDate(amzDate);
    if (signedAt == null || expires == MALFORMED) {
      throw new AwsServiceException(400, "AuthorizationQueryParametersError", "X-Amz-Date or X-Amz-Expires is malformed");
    }
    if (expires < 1 || expires > MAX_EXPIRES_SECONDS) {
      throw new AwsServiceException(400, "AuthorizationQueryParametersError",
          "X-Amz-Expires must be between 1 and " + MAX_EXPIRES_SECONDS + " seconds");
    }
    if (now.isAfter(signedAt.plusSeconds(expires))) {
      throw new AwsServiceException(403, "AccessDenied", "Request has expired");
    }
    if (signedAt.isAfter(now.plus(SignatureScope.MAX_SKEW))) {
      SignatureScope.checkTime(amzDate, now, true);
    }
    SignatureScope.checkScope(scope[1], scope[2], scope[3], amzDate, service, true);
    for (String payloadHash : List.of("UNSIGNED-PAYLOAD", EMPTY_SHA256)) {
      SdkResigner.Signed signed = new SdkResigner.Signed(method, rawPath, rawQuery, headers, signedHeaders, payloadHash,
          amzDate, scope[1], scope[2], scope[3]);
      if (SdkResigner.matches(signed, scope[0], issued.secretAccessKey(), signature, "X-Amz-Signature")) {
        return issued.caller();
      }
    }
    throw new AwsServiceException(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the "
        + "signature you provided. Check your AWS Secret Access Key and signing method.");
  }
}
