package io.casefeed.sink.store;

import io.casefeed.common.retry.Backoff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.casefeed.sink.testing.LocalS3;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** The store against a real S3 server (s3proxy): conditional and multipart writes, clear access errors. */
class S3ObjectStoreIT {

  private static final int MIB = 1024 * 1024;

  @Test
  void largeObjectsGoInPartsAndAreStillWrittenOnlyOnce() throws Exception {
    try (LocalS3 s3 = LocalS3.start("store-it"); S3Client client = s3.client()) {
      S3ObjectStore store = new S3ObjectStore(client, "store-it", Backoff.fullJitter(3, Duration.ofMillis(10), Duration.ofMillis(50)),
          5L * MIB, 5 * MIB, new SimpleMeterRegistry());
      assertThat(store.detectConditionalWrites("probe/")).isTrue();
      byte[] content = new byte[12 * MIB];
      new Random(7).nextBytes(content);

      assertThat(store.createIfAbsent("big/object", content, "application/octet-stream", Map.of("casefeed-end-offset", "41"))).isEmpty();
      var second = store.createIfAbsent("big/object", new byte[] {1}, "application/octet-stream", Map.of("casefeed-end-offset", "99"));

      assertThat(second).hasValueSatisfying(metadata -> assertThat(metadata).containsEntry("casefeed-end-offset", "41"));
      byte[] stored = client.getObjectAsBytes(b -> b.bucket("store-it").key("big/object")).asByteArray();
      assertThat(Arrays.equals(stored, content)).as("object content").isTrue();
      assertThat(client.listMultipartUploads(b -> b.bucket("store-it")).uploads()).isEmpty();
      assertThat(store.list("big/")).containsExactly(new ObjectStore.StoredObject("big/object", content.length));
    }
  }

  @Test
  void aMissingBucketIsAnAccessErrorNamingTheBucket() throws Exception {
    try (LocalS3 s3 = LocalS3.start("store-it-2"); S3Client client = s3.client()) {
      S3ObjectStore store = new S3ObjectStore(client, "absent-bucket", Backoff.fullJitter(3, Duration.ofMillis(10), Duration.ofMillis(50)),
          5L * MIB, 5 * MIB, new SimpleMeterRegistry());
      assertThatThrownBy(store::checkBucket).isInstanceOf(StoreAccessException.class).hasMessageContaining("absent-bucket");
      assertThatThrownBy(() -> store.put("k", new byte[] {1}, "text/plain", Map.of()))
          .isInstanceOf(StoreAccessException.class).hasMessageContaining("NoSuchBucket");
    }
  }
}
