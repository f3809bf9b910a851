package io.casefeed.sink.athena;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.AthenaClientBuilder;

/** Builds the Athena client of {@code athena-ddl --apply}, as {@code S3Clients} builds the sink's S3 client. */
public final class AthenaClients {

  private AthenaClients() {}

  /**
   * @param endpoint null for AWS itself
   * @param accessKeyId null to use the default credentials chain (the user's own)
   */
  public static AthenaClient create(URI endpoint, String region, String accessKeyId, String secretAccessKey, Duration attemptTimeout) {
    AwsCredentialsProvider credentials = accessKeyId == null
        ? DefaultCredentialsProvider.builder().build()
        : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
    AthenaClientBuilder builder = AthenaClient.builder()
        .region(Region.of(region))
        .credentialsProvider(credentials)
        .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(10)).socketTimeout(attemptTimeout))
        // AthenaDdlRunner retries through the common Retrier, so retries are bounded in one place.
        .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)).apiCallAttemptTimeout(attemptTimeout));
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }
}
