package io.casefeed.sink.store;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Builds the S3 client from the sink's settings. */
public final class S3Clients {

  private S3Clients() {}

  /**
   * @param endpoint null for AWS itself
   * @param accessKeyId null to use the default credentials chain
   */
  public static S3Client create(URI endpoint, String region, boolean pathStyle, String accessKeyId, String secretAccessKey,
      Duration attemptTimeout) {
    AwsCredentialsProvider credentials = accessKeyId == null
        ? DefaultCredentialsProvider.builder().build()
        : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
    S3ClientBuilder builder = S3Client.builder()
        .region(Region.of(region))
        .credentialsProvider(credentials)
        .forcePathStyle(pathStyle)
        // Checksums only where S3 requires them: S3-compatible stores reject the chunked trailers.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(10)).socketTimeout(attemptTimeout))
        // S3ObjectStore retries itself, so that retries are counted and bounded in one place.
        .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)).apiCallAttemptTimeout(attemptTimeout));
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }
}
