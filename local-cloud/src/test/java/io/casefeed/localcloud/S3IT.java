package io.casefeed.localcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The S3-compatible server (s3proxy) through the real SDK v2 S3 client, including conditional writes. */
class S3IT {

  @TempDir
  Path dataDir;

  @Test
  void objectsAreStoredOnDiskUnderTheDataDirAndSurviveARestart() {
    try (LocalCloud cloud = LocalCloud.start(LocalCloudOptions.builder().dataDir(dataDir).accounts(2).build());
         S3Client s3 = AwsClients.s3(cloud)) {
      s3.createBucket(r -> r.bucket("casefeed-exports"));
      s3.putObject(r -> r.bucket("casefeed-exports").key("csv/case_list.csv"),
          RequestBody.fromString("case-id,status\ncase-1,resolved\n"));
      assertThat(s3.listObjectsV2(r -> r.bucket("casefeed-exports")).contents()).extracting(S3Object::key)
          .containsExactly("csv/case_list.csv");
      assertThat(Files.exists(dataDir.resolve("s3").resolve("casefeed-exports"))).isTrue();
    }
    try (LocalCloud cloud = LocalCloud.start(LocalCloudOptions.builder().dataDir(dataDir).accounts(2).build());
         S3Client s3 = AwsClients.s3(cloud)) {
      assertThat(s3.getObjectAsBytes(r -> r.bucket("casefeed-exports").key("csv/case_list.csv")).asUtf8String())
          .isEqualTo("case-id,status\ncase-1,resolved\n");
    }
  }

  /** The sink writes each object once with If-None-Match: *; s3proxy answers a second write with 412. */
  @Test
  void ifNoneMatchStarRefusesToOverwriteAnExistingObject() {
    try (LocalCloud cloud = LocalCloud.start(LocalCloudOptions.builder().dataDir(dataDir).accounts(2).build());
         S3Client s3 = AwsClients.s3(cloud)) {
      s3.createBucket(r -> r.bucket("conditional"));
      s3.putObject(r -> r.bucket("conditional").key("part-0001.parquet").ifNoneMatch("*"), RequestBody.fromString("first"));
      assertThatThrownBy(() -> s3.putObject(r -> r.bucket("conditional").key("part-0001.parquet").ifNoneMatch("*"),
          RequestBody.fromString("second")))
          .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
      assertThat(s3.getObjectAsBytes(r -> r.bucket("conditional").key("part-0001.parquet")).asUtf8String()).isEqualTo("first");
    }
  }
}
