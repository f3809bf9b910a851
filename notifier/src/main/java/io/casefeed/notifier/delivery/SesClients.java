package io.casefeed.notifier.delivery;

import io.casefeed.notifier.config.NotifierConfig;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.SesV2ClientBuilder;

/** Builds the SES v2 client from the notifier's config. */
public final class SesClients {

  private SesClients() {}

  /** SDK retries are off: Delivery retries, so that every attempt is logged and bounded by one policy. */
  public static SesV2Client fromConfig(NotifierConfig config) {
    SesV2ClientBuilder builder = SesV2Client.builder()
        .region(Region.of(config.sesRegion()))
        .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(30)))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(Duration.ofSeconds(60)));
    if (config.sesEndpoint() != null) {
      builder.endpointOverride(URI.create(config.sesEndpoint()));
    }
    if (config.sesAccessKeyId() != null) {
      builder.credentialsProvider(StaticCredentialsProvider.create(
          AwsBasicCredentials.create(config.sesAccessKeyId().value(), config.sesSecretAccessKey().value())));
    } else {
      builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
    }
    return builder.build();
  }
}
