package io.casefeed.localcloud;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.support.SupportClient;

/** Real AWS SDK v2 clients pointed at a LocalCloud, without retries so every error reaches the test. */
final class AwsClients {

  private AwsClients() {
  }

  static AwsCredentials management(LocalCloud cloud) {
    return AwsBasicCredentials.create(cloud.accessKeyId(), cloud.secretAccessKey());
  }

  static AwsCredentials assumed(AssumeRoleResponse response) {
    return AwsSessionCredentials.create(response.credentials().accessKeyId(), response.credentials().secretAccessKey(),
        response.credentials().sessionToken());
  }

  static SupportClient support(LocalCloud cloud, AwsCredentials credentials) {
    return SupportClient.builder().endpointOverride(cloud.awsEndpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
  }

  static StsClient sts(LocalCloud cloud, AwsCredentials credentials) {
    return StsClient.builder().endpointOverride(cloud.awsEndpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
  }

  static OrganizationsClient organizations(LocalCloud cloud, AwsCredentials credentials) {
    return OrganizationsClient.builder().endpointOverride(cloud.awsEndpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
  }

  static SesV2Client sesV2(LocalCloud cloud, AwsCredentials credentials) {
    return SesV2Client.builder().endpointOverride(cloud.awsEndpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
  }

  static S3Client s3(LocalCloud cloud) {
    return S3Client.builder().endpointOverride(cloud.s3Endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(management(cloud)))
        .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
  }

  /** Temporary credentials for the member account, from the management account's AssumeRole. */
  static AwsCredentials assumeRole(LocalCloud cloud, String accountId) {
    try (StsClient sts = sts(cloud, management(cloud))) {
      return assumed(sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + accountId + ":role/GetSupportInfoRole")
          .roleSessionName("casefeed-test")));
    }
  }
}
