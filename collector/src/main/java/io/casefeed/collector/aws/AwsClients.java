package io.casefeed.collector.aws;

import io.casefeed.collector.config.CollectorConfig;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.support.SupportClient;

/**
 * The AWS clients the collector uses, built from its configuration around one shared HTTP client.
 * The SDK's own retries are off: the collector retries with its own rate limits and counts them.
 */
public final class AwsClients implements AutoCloseable {

  private final CollectorConfig config;
  private final SdkHttpClient http;
  private final AwsCredentialsProvider ownCredentials;
  private final StsClient sts;
  private final SupportClient support;

  public AwsClients(CollectorConfig config) {
    this(config, defaultHttpClient(config));
  }

  /** @param http the transport every client shares (the benchmark wraps it to add network latency) */
  public AwsClients(CollectorConfig config, SdkHttpClient http) {
    this.config = config;
    this.http = http;
    this.ownCredentials = config.awsAccessKeyId() == null
        ? DefaultCredentialsProvider.builder().build()
        : StaticCredentialsProvider.create(AwsBasicCredentials.create(config.awsAccessKeyId(), config.awsSecretAccessKey().value()));
    this.sts = sts(ownCredentials);
    var supportBuilder = SupportClient.builder()
        .httpClient(http).region(Region.of(config.awsRegion())).credentialsProvider(ownCredentials)
        .overrideConfiguration(noRetries());
    if (config.awsEndpointOverride() != null) {
      supportBuilder.endpointOverride(config.awsEndpointOverride());
    }
    this.support = supportBuilder.build();
  }

  /** A connection pool large enough for every poll thread to have a call in flight. */
  public static SdkHttpClient defaultHttpClient(CollectorConfig config) {
    return ApacheHttpClient.builder()
        .maxConnections(Math.max(50, config.pollThreads() * 2))
        .connectionTimeout(Duration.ofSeconds(10))
        .socketTimeout(Duration.ofSeconds(60))
        .build();
  }

  public StsClient sts() {
    return sts;
  }

  public SupportClient support() {
    return support;
  }

  /** An Organizations client signed with the given credentials (a management account's). */
  public OrganizationsClient organizations(AwsCredentialsProvider credentials) {
    var builder = OrganizationsClient.builder()
        .httpClient(http).region(Region.of(config.awsRegion())).credentialsProvider(credentials)
        .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(AwsRetryStrategy.standardRetryStrategy()).build());
    if (config.awsEndpointOverride() != null) {
      builder.endpointOverride(config.awsEndpointOverride());
    }
    return builder.build();
  }

  public OrganizationsClient organizations() {
    return organizations(ownCredentials);
  }

  public S3Client s3() {
    var builder = S3Client.builder()
        .httpClient(http).region(Region.of(config.awsRegion())).credentialsProvider(ownCredentials)
        .forcePathStyle(config.s3PathStyle());
    if (config.s3EndpointOverride() != null) {
      builder.endpointOverride(config.s3EndpointOverride());
    }
    return builder.build();
  }

  private StsClient sts(AwsCredentialsProvider credentials) {
    var builder = StsClient.builder()
        .httpClient(http).region(Region.of(config.awsRegion())).credentialsProvider(credentials)
        .overrideConfiguration(noRetries());
    if (config.awsEndpointOverride() != null) {
      builder.endpointOverride(config.awsEndpointOverride());
    }
    return builder.build();
  }

  private static ClientOverrideConfiguration noRetries() {
    return ClientOverrideConfiguration.builder().retryStrategy(AwsRetryStrategy.doNotRetry()).build();
  }

  @Override
  public void close() {
    support.close();
    sts.close();
    http.close();
  }
}
