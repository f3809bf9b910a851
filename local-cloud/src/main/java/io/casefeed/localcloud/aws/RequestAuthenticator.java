package io.casefeed.localcloud.aws;

import io.casefeed.localcloud.identity.Caller;
import io.casefeed.localcloud.identity.CredentialStore;
import io.casefeed.localcloud.identity.IssuedCredentials;
import io.casefeed.localcloud.protocol.AwsServiceException;
import io.casefeed.common.http.WebRequest;

/**
 * Decides who signed a request from its SigV4 {@code Authorization} header: the access key selects
 * the credentials (and so the account whose data is served), the session token must match the one
 * issued with it, expired credentials are refused, and the signature is recomputed with the issued
 * secret (with the AWS SDK's own SigV4 code, see {@link SdkResigner}), as AWS does.
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
      return PresignedUrl.authenticate(request.method(), request.rawPath(), request.rawQuery(), request::headers, service,
          credentials, credentials.now());
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
    if (!signatureMatches(request, body, authorization, authorization.accessKeyId(), issued.secretAccessKey())) {
      String message = "The request signature we calculated does not match the signature you provided. "
          + "Check your AWS Secret Access Key and signing method.";
      throw queryProtocol
          ? new AwsServiceException(403, "SignatureDoesNotMatch", message)
          : new AwsServiceException(403, "InvalidSignatureException", message);
    }
    return issued.caller();
  }

  static boolean signatureMatches(WebRequest request, byte[] body, SigV4Authorization authorization,
      String accessKeyId, String secret) {
    String payloadHash = request.header("X-Amz-Content-Sha256");
    SdkResigner.Signed signed = new SdkResigner.Signed(request.method(), request.rawPath(), request.rawQuery(),
        request::headers, authorization.signedHeaders(), payloadHash != null ? payloadHash : SdkResigner.sha256Hex(body),
        request.header("X-Amz-Date"), authorization.date(), authorization.region(), authorization.service());
    return SdkResigner.matches(signed, accessKeyId, secret, authorization.signature(), null);
  }
}
