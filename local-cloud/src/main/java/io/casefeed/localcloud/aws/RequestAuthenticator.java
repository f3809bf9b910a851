package io.casefeed.localcloud.aws;

import io.casefeed.common.http.QueryString;
import io.casefeed.common.http.WebRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decides who signed a request from its SigV4 {@code Authorization} header: the access key selects
 * the credentials (and so the account whose data is served), the session token must match the one
 * issued with it, expired credentials are refused, and the signature is recomputed with the issued
 * secret, as AWS does.
 */
public final class RequestAuthenticator {

  private static final String INVALID_TOKEN = "The security token included in the request is invalid.";

  private final CredentialStore credentials;

  public RequestAuthenticator(CredentialStore credentials) {
    this.credentials = credentials;
  }

  /** @param service local-cloud's name of the service called, which the credential scope must name */
  public Caller authenticate(WebRequest request, byte[] body, boolean queryProtocol, String service) {
    String header = request.header("Authorization");
    if (header == null && PresignedUrl.carriesSignature(request.rawQuery())) {
      return PresignedUrl.authenticate(request.method(), requestUri(request), request::headers, service, credentials, credentials.now());
    }
    SigV4Authorization authorization = SigV4Authorization.parse(header);
    if (authorization == null) {
      throw queryProtocol
          ? new AwsServiceException(403, "MissingAuthenticationToken", "Request is missing Authentication Token")
          : new AwsServiceException(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    IssuedCredentials issued = credentials.find(authorization.accessKeyId());
    String token = request.header("X-Amz-Security-Token");
    boolean tokenMatches = issued != null && (issued.temporary() ? issued.sessionToken().equals(token) : token == null);
    if (!tokenMatches) {
      throw queryProtocol
          ? new AwsServiceException(403, "InvalidClientTokenId", INVALID_TOKEN)
          : new AwsServiceException(400, "UnrecognizedClientException", INVALID_TOKEN);
    }
    if (credentials.expired(issued)) {
      throw queryProtocol
          ? new AwsServiceException(400, "ExpiredToken", "The security token included in the request is expired")
          : new AwsServiceException(400, "ExpiredTokenException", "The security token included in the request is expired");
    }
    SignatureScope.checkTime(request.header("X-Amz-Date"), credentials.now(), queryProtocol);
    SignatureScope.checkScope(authorization.date(), authorization.region(), authorization.service(),
        request.header("X-Amz-Date"), service, queryProtocol);
    if (!signatureMatches(request, body, authorization, issued.secretAccessKey())) {
      String message = "The request signature we calculated does not match the signature you provided. "
          + "Check your AWS Secret Access Key and signing method.";
      throw queryProtocol
          ? new AwsServiceException(403, "SignatureDoesNotMatch", message)
          : new AwsServiceException(403, "InvalidSignatureException", message);
    }
    return issued.caller();
  }

  static boolean signatureMatches(WebRequest request, byte[] body, SigV4Authorization authorization, String secret) {
    String amzDate = request.header("X-Amz-Date");
    if (amzDate == null) {
      return false;
    }
    StringBuilder canonical = new StringBuilder(512);
    canonical.append(request.method()).append('\n');
    canonical.append(CanonicalUri.of(request.rawPath())).append('\n');
    canonical.append(canonicalQuery(request.rawQuery())).append('\n');
    for (String name : authorization.signedHeaders().split(";")) {
      List<String> values = request.headers(name);
      List<String> normalised = new ArrayList<>();
      if (values != null) {
        values.forEach(value -> normalised.add(value.trim().replaceAll(" +", " ")));
      }
      canonical.append(name.toLowerCase(Locale.ROOT)).append(':').append(String.join(",", normalised)).append('\n');
    }
    canonical.append('\n').append(authorization.signedHeaders()).append('\n');
    String payloadHash = request.header("X-Amz-Content-Sha256");
    canonical.append(payloadHash != null ? payloadHash : hex(sha256(body)));
    String scope = authorization.date() + "/" + authorization.region() + "/" + authorization.service() + "/aws4_request";
    String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
        + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), authorization.date());
    key = hmac(key, authorization.region());
    key = hmac(key, authorization.service());
    key = hmac(key, "aws4_request");
    String expected = hex(hmac(key, stringToSign));
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        authorization.signature().getBytes(StandardCharsets.US_ASCII));
  }

  private static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    QueryString.parse(rawQuery).asMultiMap().forEach((name, values) ->
        values.forEach(value -> pairs.add(new String[] {uriEncode(name), uriEncode(value)})));
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    StringBuilder query = new StringBuilder();
    for (String[] pair : pairs) {
      if (query.length() > 0) {
        query.append('&');
      }
      query.append(pair[0]).append('=').append(pair[1]);
    }
    return query.toString();
  }

  private static String uriEncode(String text) {
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

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
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

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
  /** The request's path and query as sent, still percent-encoded, which is what a presigned URL was signed over. */
  private static URI requestUri(WebRequest request) {
    String query = request.rawQuery();
    try {
      return URI.create(request.rawPath() + (query == null || query.isEmpty() ? "" : "?" + query));
    } catch (IllegalArgumentException e) {
      throw new AwsServiceException(400, "MalformedQueryString", "Malformed request URI: " + e.getMessage());
    }
  }
}
