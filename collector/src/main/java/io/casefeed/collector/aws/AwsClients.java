package io.casefeed.collector.aws;

import io.casefeed.collector.config.CollectorConfig;
import io.casefeed.common.aws.AwsClientFactory;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.support.SupportClient;

/**
 * The AWS clients the collector uses, built by the common {@link AwsClientFactory} around one shared
 * connection pool. The SDK's own retries are off: the collector retries with its own rate limits
 * and counts them.
 */
public final class AwsClients implements AutoCloseable {

  private final AwsClientFactory factory;
  private final StsClient sts;
  private final SupportClient support;

  public AwsClients(CollectorConfig config) {
    this(config, defaultHttpClient(config));
  }

  /** @param http the transport every client shares (the benchmark wraps it to add network latency) */
  public AwsClients(CollectorConfig config, SdkHttpClient http) {
    this.factory = AwsClientFactory.sharing(config.awsSettings(), http);
    this.sts = factory.configure("sts", StsClient.builder()).build();
    this.support = factory.configure("support", SupportClient.builder()).build();
  }

  /** A connection pool large enough for every poll thread to have a call in flight. */
  public static SdkHttpClient defaultHttpClient(CollectorConfig config) {
    return AwsClientFactory.pooledHttpClient(Math.max(50, config.pollThreads() * 2), Duration.ofSeconds(60));
  }

  public StsClient sts() {
    return sts;
  }

  public SupportClient support() {
    return support;
  }

  /**
   * An Organizations client signed with the given credentials (a management account's). It keeps the
   * SDK's standard retries: account discovery runs a few calls every few minutes, outside the poll's
   * rate limits and counters.
   */
  public OrganizationsClient organizations(AwsCredentialsProvider credentials) {
    return factory.configure("organizations", OrganizationsClient.builder(), credentials,
        o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy())).build();
  }

  public OrganizationsClient organizations() {
    return organizations(factory.credentials());
  }

  public S3Client s3() {
    return factory.configure("s3", S3Client.builder())
        .forcePathStyle(factory.settings().s3PathStyle())
        .build();
  }

  @Override
  public void close() {
    support.close();
    sts.close();
    factory.close();
  }
}
