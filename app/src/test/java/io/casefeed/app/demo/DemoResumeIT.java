package io.casefeed.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.casefeed.localcloud.OutboxMessage;
import io.casefeed.localcloud.SimulatedAccount;
import io.casefeed.sink.history.HistoryKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** A second start of the demo on the same data folder resumes: same organisation, no duplicate object or mail. */
class DemoResumeIT {

  static final Pattern HISTORY_OBJECT = Pattern.compile(".*/(.+)\\+(\\d+)\\+(\\d+)\\.parquet$");
  static final Pattern MAIL_ID = Pattern.compile("(?im)^X-Casefeed-Mail-Id:\\s*(.+?)\\s*$");

  @TempDir Path work;

  @Test
  void aSecondStartOnTheSameFolderDuplicatesNoObjectAndNoMail() {
    Demo.Options options = new Demo.Options(work.resolve("data"), 5, 30.0, 0, 0, 0, 0, 0, 5L, 3_000, 30_000, "every 1m", 30_000);
    List<String> accountsBefore;
    Map<String, String> objectsBefore;
    try (Demo demo = new Demo(options).start()) {
      accountsBefore = demo.cloud().simulation().accounts().stream().map(SimulatedAccount::id).sorted().toList();
      await("a digest and history objects").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2))
          .until(() -> !demo.cloud().outbox().isEmpty() && !historyObjects(demo).isEmpty());
      objectsBefore = historyObjects(demo);
    }

    try (Demo demo = new Demo(options).start()) {
      assertThat(demo.cloud().simulation().accounts().stream().map(SimulatedAccount::id).sorted().toList())
          .isEqualTo(accountsBefore);
      int mailsAtRestart = demo.cloud().outbox().size();
      // Run until the resumed pipeline has written more history and sent its next digest.
      await("new history objects and the next digest").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2))
          .until(() -> historyObjects(demo).size() > objectsBefore.size() && demo.cloud().outbox().size() > mailsAtRestart);

      Map<String, String> objectsAfter = historyObjects(demo);
      // Objects of the first run are untouched (same ETag: never rewritten).
      objectsBefore.forEach((key, etag) -> assertThat(objectsAfter).containsEntry(key, etag));
      assertNoOverlappingOffsetRanges(demo, objectsAfter.keySet());

      List<String> mailIds = new ArrayList<>();
      for (OutboxMessage mail : demo.cloud().outbox()) {
        Matcher id = MAIL_ID.matcher(new String(mail.rawMime(), StandardCharsets.UTF_8));
        assertThat(id.find()).as("mail %s has a casefeed mail id", mail.messageId()).isTrue();
        mailIds.add(id.group(1) + " -> " + String.join(",", mail.to()));
      }
      assertThat(mailIds).doesNotHaveDuplicates();
    }
  }

  /** Every Parquet object of the change history with its ETag. */
  static Map<String, String> historyObjects(Demo demo) {
    Map<String, String> objects = new TreeMap<>();
    try (S3Client s3 = s3(demo)) {
      for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(Demo.BUCKET).prefix("casefeed/case_changes/")).contents()) {
        if (object.key().endsWith(".parquet")) {
          objects.put(object.key(), object.eTag());
        }
      }
    }
    return objects;
  }

  /** Per topic partition, object ranges [start, end] (end from the object's metadata) never overlap. */
  static void assertNoOverlappingOffsetRanges(Demo demo, Iterable<String> keys) {
    Map<String, TreeMap<Long, Long>> ranges = new HashMap<>();
    try (S3Client s3 = s3(demo)) {
      for (String key : keys) {
        Matcher name = HISTORY_OBJECT.matcher(key);
        assertThat(name.matches()).as(key).isTrue();
        Map<String, String> metadata = s3.headObject(b -> b.bucket(Demo.BUCKET).key(key)).metadata();
        String end = metadata.get(HistoryKeys.END_OFFSET);
        assertThat(end).as("end offset of %s in %s", key, metadata).isNotNull();
        long start = Long.parseLong(name.group(3));
        TreeMap<Long, Long> partition = ranges.computeIfAbsent(name.group(1) + "+" + name.group(2), p -> new TreeMap<>());
        assertThat(partition.put(start, Long.parseLong(end))).as("two objects start at %s in %s", start, key).isNull();
      }
    }
    ranges.forEach((partition, byStart) -> {
      long previousEnd = -1;
      for (Map.Entry<Long, Long> range : byStart.entrySet()) {
        assertThat(range.getKey()).as("%s: object at %d overlaps the one ending at %d", partition, range.getKey(), previousEnd)
            .isGreaterThan(previousEnd);
        previousEnd = range.getValue();
      }
    });
  }

  static S3Client s3(Demo demo) {
    return S3Client.builder().endpointOverride(demo.cloud().s3Endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(demo.cloud().accessKeyId(), demo.cloud().secretAccessKey())))
        .build();
  }
}
