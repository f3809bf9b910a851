package io.casefeed.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.common.aws.AwsClientFactory;
import io.casefeed.notifier.config.NotifierConfig;
import io.casefeed.notifier.link.CaseListLinks;
import io.casefeed.notifier.link.PresignedLink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The link a digest gives when its case list is too large to attach: presigned by the notifier's
 * configuration, it downloads the sink's latest case list from local-cloud's S3 (s3proxy checks the
 * SigV4 query signature) without credentials, byte for byte; a link changed by hand or past its
 * expiry is refused.
 */
class CaseListLinkIT extends NotifierItSupport {

  private static final String BUCKET = "casefeed-links-it";
  private static final String KEY = "casefeed/case_list/latest/case_list.csv";

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theLinkDownloadsTheListWithoutCredentialsUntilItExpires() throws Exception {
    byte[] list = ("case-id,status,severity,service,subject,createdtime,case-owner,account-id\n"
        + "case-111111111111-2026-0001,opened,urgent,general-info,Queue stuck,2026-12-05T08:00:00Z,ops@example.com,111111111111\n")
        .getBytes(StandardCharsets.UTF_8);
    NotifierConfig config = config(Map.of());
    try (AwsClientFactory factory = AwsClientFactory.perClient(config.awsSettings(), Duration.ofSeconds(10));
        S3Client s3 = factory.configure("s3", S3Client.builder()).forcePathStyle(true).build()) {
      s3.createBucket(b -> b.bucket(BUCKET));
      s3.putObject(b -> b.bucket(BUCKET).key(KEY).contentType("text/csv"), RequestBody.fromBytes(list));
    }

    try (CaseListLinks links = config.caseListLinks()) {
      assertThat(links.location()).isEqualTo("s3://" + BUCKET + "/" + KEY);
      PresignedLink link = links.get().orElseThrow();
      assertThat(link.url()).startsWith(cloud.s3Endpoint() + "/" + BUCKET + "/" + KEY + "?").contains("X-Amz-Signature=");
      assertThat(Duration.between(Instant.now(), link.expires())).isBetween(Duration.ofDays(7).minusMinutes(5), Duration.ofDays(7));

      HttpResponse<byte[]> download = get(link.url());
      assertThat(download.statusCode()).isEqualTo(200);
      assertThat(download.body()).isEqualTo(list);
      // The signature covers the path: the same query cannot fetch another object.
      assertThat(get(link.url().replace("/latest/case_list.csv", "/latest/case_list_parquet")).statusCode()).isEqualTo(403);
    }

    try (CaseListLinks shortLived = config(Map.of(NotifierConfig.DIGEST_LINK_EXPIRY_MS, "1000")).caseListLinks()) {
      PresignedLink link = shortLived.get().orElseThrow();
      assertThat(get(link.url()).statusCode()).isEqualTo(200);
      Thread.sleep(2_500);
      assertThat(get(link.url()).statusCode()).as("expired").isEqualTo(403);
    }
  }

  @Test
  void withoutABucketThereAreNoLinks() {
    try (CaseListLinks links = NotifierConfig.load(null, Map.of(), base()).caseListLinks()) {
      assertThat(links.get()).isEmpty();
      assertThat(links.location()).isNull();
    }
  }

  private static NotifierConfig config(Map<String, String> more) {
    Map<String, String> properties = base();
    properties.put(NotifierConfig.DIGEST_LINK_BUCKET, BUCKET);
    properties.put("aws.s3.endpoint.override", cloud.s3Endpoint().toString());
    properties.put("aws.s3.path.style", "true");
    properties.putAll(more);
    return NotifierConfig.load(null, Map.of(), properties);
  }

  private static Map<String, String> base() {
    return baseConfig("links.", "links", List.of("links@example.com"));
  }

  private HttpResponse<byte[]> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
