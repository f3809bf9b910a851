package io.casefeed.common.aws;

import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The one place AWS SDK clients are set up: region, endpoint override, credentials and transport
 * from {@link AwsSettings}, and the SDK's own retries off, because casefeed retries with its one
 * policy (common {@code Retrier}) where every attempt is counted and bounded. Callers add only what
 * is particular to a service (S3's checksums, an attempt timeout).
 */
public final class AwsClientFactory implements AutoCloseable {

  private final AwsSettings settings;
  private final AwsCredentialsProvider credentials;
  private final SdkHttpClient sharedHttp;
  private final Duration socketTimeout;

  private AwsClientFactory(AwsSettings settings, SdkHttpClient sharedHttp, Duration socketTimeout) {
    this.settings = settings;
    this.sharedHttp = sharedHttp;
    this.socketTimeout = socketTimeout;
    this.credentials = settings.accessKeyId() == null
        ? DefaultCredentialsProvider.builder().build()
        : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey().value()));
  }

  /** Clients sharing one connection pool, closed with this factory (the collector: every poll thread calls). */
  public static AwsClientFactory sharing(AwsSettings settings, SdkHttpClient http) {
    return new AwsClientFactory(settings, http, null);
  }

  /** Each client with its own connection pool, closed with the client. */
  public static AwsClientFactory perClient(AwsSettings settings, Duration socketTimeout) {
    return new AwsClientFactory(settings, null, socketTimeout);
  }

  /** A pooled transport for {@link #sharing}. */
  public static SdkHttpClient pooledHttpClient(int maxConnections, Duration socketTimeout) {
    return ApacheHttpClient.builder()
        .maxConnections(maxConnections)
        .connectionTimeout(Duration.ofSeconds(10))
        .socketTimeout(socketTimeout)
        .build();
  }

  public AwsSettings settings() {
    return settings;
  }

  /** casefeed's own credentials (static keys or the default chain). */
  public AwsCredentialsProvider credentials() {
    return credentials;
  }

  /** {@code builder} set up for {@code service} with casefeed's own credentials. */
  public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(String service, B builder) {
    return configure(service, builder, credentials, o -> { });
  }

  /**
   * {@code builder} set up for {@code service}.
   *
   * @param signer the credentials to sign with (e.g. an assumed role's)
   * @param overrides what the caller changes in the client's override configuration after the
   *     factory's (an attempt timeout; the SDK's standard retries where a caller wants them). Given
   *     here because setting an override configuration on the builder replaces the whole of it.
   */
  public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(
      String service, B builder, AwsCredentialsProvider signer, Consumer<ClientOverrideConfiguration.Builder> overrides) {
    ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder().retryStrategy(AwsRetryStrategy.doNotRetry());
    overrides.accept(override);
    builder.region(Region.of(settings.regionFor(service)))
        .credentialsProvider(signer)
        .overrideConfiguration(override.build());
    if (sharedHttp != null) {
      builder.httpClient(sharedHttp);
    } else {
      builder.httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(10)).socketTimeout(socketTimeout));
    }
    URI endpoint = settings.endpointFor(service);
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder;
  }

  @Override
  public void close() {
    if (sharedHttp != null) {
      sharedHttp.close();
    }
  }
}
