package io.casefeed.collector.aws;

import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;

/** STS AssumeRole with the configured ExternalId and a session name that identifies casefeed. */
public final class StsRoleAssumer implements RoleAssumer {

  private final StsClient sts;
  private final String externalId;
  private final String sessionName;
  private final int durationSeconds;

  public StsRoleAssumer(StsClient sts, String externalId, String sessionName, int durationSeconds) {
    this.sts = sts;
    this.externalId = externalId;
    this.sessionName = sessionName;
    this.durationSeconds = durationSeconds;
  }

  @Override
  public RoleCredentials assume(String roleArn) {
    AssumeRoleResponse response = sts.assumeRole(b -> b
        .roleArn(roleArn).roleSessionName(sessionName).externalId(externalId).durationSeconds(durationSeconds));
    Credentials c = response.credentials();
    return new RoleCredentials(c.accessKeyId(), c.secretAccessKey(), c.sessionToken(), c.expiration());
  }
}
