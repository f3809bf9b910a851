package io.casefeed.localcloud.identity;

import java.time.Instant;

/**
 * An access key local-cloud accepts: the management account's static key, or temporary credentials
 * AssumeRole issued for a member account ({@code sessionToken} and {@code expiration} set).
 */
public record IssuedCredentials(
    String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration,
    String accountId, String userId, String arn) {

  public boolean temporary() {
    return sessionToken != null;
  }

  public Caller caller() {
    return new Caller(accountId, accessKeyId, userId, arn);
  }
}
