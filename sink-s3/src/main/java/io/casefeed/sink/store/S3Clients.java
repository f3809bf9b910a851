package io.casefeed.sink.store;

import io.casefeed.common.aws.AwsClientFactory;
import io.casefeed.common.aws.AwsSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.types.Password;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds the sink's S3 client with the common {@link AwsClientFactory}, adding what S3 alone needs. */
public final class S3Clients {

  private S3Clients() {}

  /** The client for {@code settings}; each attempt bounded by {@code attemptTimeout}. */
  public static S3Client create(AwsSettings settings, Duration attemptTimeout) {
    AwsClientFactory factory = AwsClientFactory.perClient(settings, attemptTimeout);
    // S3ObjectStore retries itself (the factory turns the SDK's retries off), so that retries are
    // counted and bounded in one place; the attempt timeout makes a hung call one of them.
    return factory.configure("s3", S3Client.builder(), factory.credentials(), o -> o.apiCallAttemptTimeout(attemptTimeout))
        .forcePathStyle(settings.s3PathStyle())
        // Checksums only where S3 requires them: S3-compatible stores reject the chunked trailers.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  /**
   * The client for a store given by hand (the query command's flags, tests).
   *
   * @param endpoint null for AWS itself
   * @param accessKeyId null to use the default credentials chain
   */
  public static S3Client create(URI endpoint, String region, boolean pathStyle, String accessKeyId, String secretAccessKey,
      Duration attemptTimeout) {
    return create(new AwsSettings(region, endpoint, Map.of(), Map.of(), accessKeyId,
        accessKeyId == null ? null : new Password(secretAccessKey), pathStyle), attemptTimeout);
  }
}
