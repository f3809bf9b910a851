package io.casefeed.collector.aws;

import java.time.Instant;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** Temporary credentials of an assumed role. {@link #toString()} never shows the secrets. */
public record RoleCredentials(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {

  public AwsSessionCredentials toAws() {
    return AwsSessionCredentials.builder()
        .accessKeyId(accessKeyId).secretAccessKey(secretAccessKey).sessionToken(sessionToken).expirationTime(expiration)
        .build();
  }

  @Override
  public String toString() {
    return "RoleCredentials[expiration=" + expiration + "]";
  }
}
