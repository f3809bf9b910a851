package io.casefeed.notifier.link;

import io.casefeed.common.aws.AwsClientFactory;
import io.casefeed.common.aws.AwsSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Presigned links to the sink's latest case list, for a digest too large to carry it: the reader
 * downloads the same list from S3 with the link, without AWS credentials, until it expires (SigV4
 * allows 7 days at most). Signing is local (no call to AWS), so it cannot fail for a network reason;
 * a signing error (no credentials) is logged and the digest says where the list is instead.
 */
public final class CaseListLinks implements Supplier<Optional<PresignedLink>>, AutoCloseable {

  /** SigV4's longest validity for a presigned URL. */
  public static final Duration MAX_EXPIRY = Duration.ofDays(7);

  private static final Logger LOG = LoggerFactory.getLogger(CaseListLinks.class);

  private final S3Presigner presigner;
  private final String bucket;
  private final String key;
  private final Duration expiry;

  private CaseListLinks(S3Presigner presigner, String bucket, String key, Duration expiry) {
    this.presigner = presigner;
    this.bucket = bucket;
    this.key = key;
    this.expiry = expiry;
  }

  /** No links: the digest names the list's place instead. */
  public static CaseListLinks off() {
    return new CaseListLinks(null, null, null, null);
  }

  /** Links to {@code s3://bucket/key}, signed with casefeed's AWS settings (region, endpoint, path style, credentials). */
  public static CaseListLinks of(AwsSettings settings, String bucket, String key, Duration expiry) {
    if (expiry.isNegative() || expiry.isZero() || expiry.compareTo(MAX_EXPIRY) > 0) {
      throw new IllegalArgumentException("a presigned link lasts more than 0 and at most 7 days, not " + expiry);
    }
    AwsClientFactory factory = AwsClientFactory.perClient(settings, Duration.ofSeconds(10));
    S3Presigner.Builder builder = S3Presigner.builder()
        .region(Region.of(settings.regionFor("s3")))
        .credentialsProvider(factory.credentials())
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.s3PathStyle()).build());
    URI endpoint = settings.endpointFor("s3");
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return new CaseListLinks(builder.build(), bucket, key, expiry);
  }

  /** A fresh link, valid for the configured time from now; empty when links are off or signing failed. */
  @Override
  public Optional<PresignedLink> get() {
    if (presigner == null) {
      return Optional.empty();
    }
    try {
      var signed = presigner.presignGetObject(p -> p.signatureDuration(expiry).getObjectRequest(g -> g.bucket(bucket).key(key)));
      return Optional.of(new PresignedLink(signed.url().toString(), signed.expiration()));
    } catch (RuntimeException e) {
      LOG.warn("cannot presign a link to s3://{}/{}: {}", bucket, key, e.toString());
      return Optional.empty();
    }
  }

  /** The object the links point to, for messages. */
  public String location() {
    return presigner == null ? null : "s3://" + bucket + "/" + key;
  }

  @Override
  public void close() {
    if (presigner != null) {
      presigner.close();
    }
  }
}
