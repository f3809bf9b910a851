package io.casefeed.collector.aws;

import java.util.function.Function;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.support.SupportClient;
import software.amazon.awssdk.services.support.model.DescribeCasesRequest;
import software.amazon.awssdk.services.support.model.DescribeCasesResponse;
import software.amazon.awssdk.services.support.model.DescribeCommunicationsRequest;
import software.amazon.awssdk.services.support.model.DescribeCommunicationsResponse;

/**
 * One Support client for every account: each request carries the account role's credentials, so a
 * thousand accounts share one connection pool.
 */
public final class AwsSupportGateway implements SupportGateway {

  private final SupportClient support;
  private final RoleCredentialsCache credentials;
  private final Function<String, String> roleArnOf;

  public AwsSupportGateway(SupportClient support, RoleCredentialsCache credentials, Function<String, String> roleArnOf) {
    this.support = support;
    this.credentials = credentials;
    this.roleArnOf = roleArnOf;
  }

  @Override
  public void ensureCredentials(String accountId) {
    credentials.credentials(roleArnOf.apply(accountId));
  }

  @Override
  public boolean needsCredentials(String accountId) {
    return credentials.needsAssume(roleArnOf.apply(accountId));
  }

  @Override
  public DescribeCasesResponse describeCases(String accountId, DescribeCasesRequest request) {
    return support.describeCases(request.toBuilder().overrideConfiguration(signedAs(accountId)).build());
  }

  @Override
  public DescribeCommunicationsResponse describeCommunications(String accountId, DescribeCommunicationsRequest request) {
    return support.describeCommunications(request.toBuilder().overrideConfiguration(signedAs(accountId)).build());
  }

  private AwsRequestOverrideConfiguration signedAs(String accountId) {
    return AwsRequestOverrideConfiguration.builder()
        .credentialsProvider(credentials.provider(roleArnOf.apply(accountId))).build();
  }
}
