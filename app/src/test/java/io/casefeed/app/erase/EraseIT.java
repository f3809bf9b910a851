package io.casefeed.app.erase;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseState;
import io.casefeed.sink.snapshot.CaseListSnapshots;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.examples.ExampleRecords;
import io.casefeed.sink.format.ChangeRow;
import io.casefeed.sink.history.HistoryKeys;
import io.casefeed.sink.history.HistoryUploader;
import io.casefeed.sink.store.S3Clients;
import io.casefeed.sink.store.S3ObjectStore;
import io.casefeed.common.retry.Backoff;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code casefeed erase} on the embedded broker and s3proxy: two cases' changes in the sink's
 * history objects and on casefeed.cases; the dry run changes nothing, --apply erases one case's
 * personal columns and tombstones it, the other case is byte for byte untouched, and a second run
 * finds nothing left to do.
 */
class EraseIT {

  private static final String BUCKET = "erase-it";
  private static final String ACCESS_KEY = "test";
  private static final String SECRET_KEY = "test-secret";
  private static final String ACCOUNT = "123456789012";
  private static final String ERASED_CASE = "case-123456789012-muen-2026-erase0000000001";
  private static final String KEPT_CASE = "case-123456789012-muen-2026-keep00000000002";
  private static S3Proxy proxy;
  private static URI endpoint;

  @BeforeAll
  static void startS3() throws Exception {
    proxy = S3Proxy.builder().blobStore(new TransientNio2BlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
    proxy.start();
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    try (S3Client client = client()) {
      client.createBucket(b -> b.bucket(BUCKET));
    }
  }

  @AfterAll
  static void stopS3() throws Exception {
    proxy.stop();
  }

  private static S3Client client() {
    return S3Clients.create(endpoint, "us-east-1", true, ACCESS_KEY, SECRET_KEY, Duration.ofSeconds(10));
  }

  @Test
  void erasesOneCaseAndLeavesTheOtherUntouched(@TempDir Path dir) throws Exception {
    String prefix = KafkaFixture.unique("erase") + ".";
    KafkaFixture.createTopics(prefix, List.of(Topics.CASES, Topics.CASE_CHANGES, Topics.CASE_OBSERVATIONS), 1);
    String casesTopic = prefix + Topics.CASES.name();
    String observationsTopic = prefix + Topics.CASE_OBSERVATIONS.name();
    String changesTopic = prefix + Topics.CASE_CHANGES.name();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", KafkaFixture.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (String caseId : List.of(ERASED_CASE, KEPT_CASE)) {
        producer.send(new ProducerRecord<>(casesTopic, CaseKeys.of(ACCOUNT, caseId).getBytes(StandardCharsets.UTF_8),
            ("state of " + caseId).getBytes(StandardCharsets.UTF_8))).get();
      }
    }
    // Two history objects, the cases' changes interleaved, as the sink writes them.
    try (S3Client s3 = client()) {
      S3ObjectStore store = new S3ObjectStore(s3, BUCKET, Backoff.fullJitter(3, Duration.ofMillis(50), Duration.ofMillis(200)),
          Long.MAX_VALUE, Integer.MAX_VALUE, new SimpleMeterRegistry());
      HistoryUploader uploader = new HistoryUploader(store, "casefeed", true, new SimpleMeterRegistry());
      List<ChangeRow> rows = new ArrayList<>();
      for (int offset = 0; offset < 10; offset++) {
        String caseId = offset % 2 == 0 ? ERASED_CASE : KEPT_CASE;
        rows.add(new ChangeRow(changesTopic, 0, offset, Instant.parse("2026-12-01T10:00:00Z").plusSeconds(offset).toEpochMilli(),
            change(caseId, offset)));
      }
      uploader.write(changesTopic, 0, "2026-12-01", rows.subList(0, 6));
      uploader.write(changesTopic, 0, "2026-12-01", rows.subList(6, 10));
      // Two snapshots, each in its timed folder (CSV and Parquet); the second is also latest/.
      CaseListSnapshots snapshots = new CaseListSnapshots(store, "casefeed");
      List<CaseState> states = List.of(state(ERASED_CASE), state(KEPT_CASE));
      snapshots.write(states, Instant.parse("2026-12-01T11:00:00Z"));
      snapshots.write(states, Instant.parse("2026-12-01T12:00:00Z"));
    }
    Path sinkConfig = dir.resolve("sink.properties");
    Files.writeString(sinkConfig, String.join("\n",
        "kafka.bootstrap.servers=" + KafkaFixture.bootstrapServers(), "schema.registry.url=http://127.0.0.1:1", "topic.prefix=" + prefix,
        "s3.bucket=" + BUCKET, "s3.endpoint=" + endpoint, "s3.path.style.access=true", "s3.access.key.id=" + ACCESS_KEY,
        "s3.secret.access.key=" + SECRET_KEY, ""));
    String[] args = {"--bootstrap-servers", KafkaFixture.bootstrapServers(), "--topic-prefix", prefix,
        "--sink-config", sinkConfig.toString(), "--account", ACCOUNT, "--case", ERASED_CASE};

    Map<String, byte[]> before = objectsUnder("casefeed/");
    String dryRun = run(args);
    assertThat(dryRun).contains("would write a tombstone for key " + CaseKeys.of(ACCOUNT, ERASED_CASE))
        .contains("3 row(s) of the case").contains("2 row(s) of the case").contains("dry run: nothing was changed");
    assertThat(objectsUnder("casefeed/")).containsOnlyKeys(before.keySet());
    assertThat(objectsUnder("casefeed/")).allSatisfy((key, bytes) -> assertThat(bytes).isEqualTo(before.get(key)));
    assertThat(casesRecords(casesTopic)).hasSize(2);
    assertThat(casesRecords(observationsTopic)).isEmpty();

    String applied = run(append(args, "--apply"));
    assertThat(applied).contains("write a tombstone").doesNotContain("would ");
    List<GenericRecord> history = historyRows(dir);
    assertThat(history).hasSize(10);
    for (GenericRecord row : history) {
      long offset = (Long) row.get("kafka_offset");
      CaseDetails original = change(offset % 2 == 0 ? ERASED_CASE : KEPT_CASE, (int) offset).getCurrent();
      if (ERASED_CASE.equals(row.get("aws_case_id").toString())) {
        assertThat(row.get("subject").toString()).isEqualTo(CaseEraser.ERASED);
        assertThat(row.get("case_owner").toString()).isEqualTo(CaseEraser.ERASED);
        assertThat(row.get("status").toString()).isEqualTo(original.getStatus());
      } else {
        assertThat(row.get("subject").toString()).isEqualTo(original.getSubject());
        assertThat(row.get("case_owner").toString()).isEqualTo(original.getSubmittedBy());
      }
    }
    Map<String, byte[]> after = objectsUnder("casefeed/");
    // Every CSV copy (history twins, timed and latest case_list.csv) and snapshot Parquet: the erased case's
    // subject and owner are gone, the kept case's are still there, and no row was lost.
    List<String> csvKeys = after.keySet().stream().filter(k -> k.endsWith(".csv")).sorted().toList();
    assertThat(csvKeys).hasSize(2 + 3);
    for (String key : csvKeys) {
      String text = new String(after.get(key), StandardCharsets.UTF_8);
      String was = new String(before.get(key), StandardCharsets.UTF_8);
      assertThat(text).as(key).doesNotContain("Subject of " + ERASED_CASE).doesNotContain("erased-person@example.com")
          .contains("Subject of " + KEPT_CASE).contains("kept-person@example.com").contains(CaseEraser.ERASED);
      assertThat(text.split("\r\n")).as(key).hasSameSizeAs(was.split("\r\n"));
      assertThat(text.replace(CaseEraser.ERASED, "")).isEqualTo(was.replace("Subject of " + ERASED_CASE, "")
          .replace("erased-person@example.com", ""));
    }
    for (String key : after.keySet().stream().filter(k -> k.contains("/case_list/") && k.endsWith(".parquet")).toList()) {
      List<GenericRecord> snapshotRows = parquetRows(dir, after.get(key));
      assertThat(snapshotRows).as(key).hasSize(2);
      for (GenericRecord row : snapshotRows) {
        boolean erasedRow = ERASED_CASE.equals(row.get("aws_case_id").toString());
        assertThat(row.get("subject").toString()).isEqualTo(erasedRow ? CaseEraser.ERASED : "Subject of " + KEPT_CASE);
        assertThat(row.get("case_owner").toString()).isEqualTo(erasedRow ? CaseEraser.ERASED : "kept-person@example.com");
      }
    }
    String auditKey = after.keySet().stream().filter(k -> k.contains("_casefeed/erasures/")).findFirst().orElseThrow();
    String audit = new String(after.get(auditKey), StandardCharsets.UTF_8);
    assertThat(audit).contains(ERASED_CASE).contains("\"rows_erased\" : 3").contains("\"rows_erased\" : 2")
        .doesNotContain("Subject of " + ERASED_CASE).doesNotContain("erased-person@example.com");
    try (S3Client s3 = client()) {
      for (String key : before.keySet().stream().filter(k -> k.contains("/case_changes")).toList()) {
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key(key)).metadata())
            .containsEntry(HistoryKeys.PARTITION, "0").containsKey(HistoryKeys.START_OFFSET).containsKey(HistoryKeys.END_OFFSET);
      }
    }
    List<ConsumerRecord<byte[], byte[]>> cases = casesRecords(casesTopic);
    assertThat(cases).hasSize(3);
    ConsumerRecord<byte[], byte[]> tombstone = cases.get(2);
    assertThat(new String(tombstone.key(), StandardCharsets.UTF_8)).isEqualTo(CaseKeys.of(ACCOUNT, ERASED_CASE));
    assertThat(tombstone.value()).isNull();
    // The stream-processor's erase signal, stamped with the erase time.
    List<ConsumerRecord<byte[], byte[]>> observations = casesRecords(observationsTopic);
    assertThat(observations).hasSize(1);
    assertThat(new String(observations.get(0).key(), StandardCharsets.UTF_8)).isEqualTo(CaseKeys.of(ACCOUNT, ERASED_CASE));
    assertThat(observations.get(0).value()).isNull();
    assertThat(audit).contains("\"state\" : \"done\"").contains(observationsTopic);

    // Idempotent: nothing left to rewrite, the history objects stay as they are.
    Map<String, byte[]> erased = objectsUnder("casefeed/");
    String again = run(append(args, "--apply"));
    assertThat(again).contains("already erased");
    Map<String, byte[]> afterAgain = objectsUnder("casefeed/");
    before.keySet().forEach(key -> assertThat(afterAgain.get(key)).isEqualTo(erased.get(key)));
  }

  @Test
  void erasesEveryCaseResolvedBeforeADateAndOnlyThose(@TempDir Path dir) throws Exception {
    String prefix = KafkaFixture.unique("retention") + ".";
    KafkaFixture.createTopics(prefix, List.of(Topics.CASES, Topics.CASE_OBSERVATIONS), 1);
    String s3Prefix = "retention";
    String oldResolved = "case-123456789012-muen-2026-oldresolved00001";
    String reopened = "case-123456789012-muen-2026-reopened00000002";
    String stillOpen = "case-123456789012-muen-2026-stillopen0000003";
    String newResolved = "case-123456789012-muen-2026-newresolved00004";
    Instant october = Instant.parse("2026-10-01T10:00:00Z");
    Instant december = Instant.parse("2026-12-02T10:00:00Z");
    try (S3Client s3 = client()) {
      S3ObjectStore store = new S3ObjectStore(s3, BUCKET, Backoff.fullJitter(3, Duration.ofMillis(50), Duration.ofMillis(200)),
          Long.MAX_VALUE, Integer.MAX_VALUE, new SimpleMeterRegistry());
      List<ChangeRow> rows = new ArrayList<>();
      String changesTopic = prefix + Topics.CASE_CHANGES.name();
      int offset = 0;
      // Each case: opened in October, then its last change.
      for (String caseId : List.of(oldResolved, reopened, stillOpen, newResolved)) {
        rows.add(new ChangeRow(changesTopic, 0, offset, october.toEpochMilli(), lifecycle(caseId, offset++, 1, "opened", october)));
      }
      rows.add(new ChangeRow(changesTopic, 0, offset, october.toEpochMilli(), lifecycle(oldResolved, offset++, 2, "resolved", october.plusSeconds(3600))));
      rows.add(new ChangeRow(changesTopic, 0, offset, october.toEpochMilli(), lifecycle(reopened, offset++, 2, "resolved", october.plusSeconds(3600))));
      rows.add(new ChangeRow(changesTopic, 0, offset, december.toEpochMilli(), lifecycle(reopened, offset++, 3, "reopened", december)));
      rows.add(new ChangeRow(changesTopic, 0, offset, december.toEpochMilli(), lifecycle(newResolved, offset++, 2, "resolved", december)));
      new HistoryUploader(store, s3Prefix, true, new SimpleMeterRegistry()).write(changesTopic, 0, "2026-12-02", rows);
      List<CaseState> states = new ArrayList<>();
      for (String caseId : List.of(reopened, stillOpen, newResolved, oldResolved)) {
        CaseState state = state(caseId);
        String status = caseId.equals(oldResolved) || caseId.equals(newResolved) ? "resolved" : "opened";
        Instant resolvedAt = caseId.equals(oldResolved) ? october.plusSeconds(3600) : caseId.equals(newResolved) ? december : null;
        states.add(CaseState.newBuilder(state).setResolvedAt(resolvedAt)
            .setCaseDetails(CaseDetails.newBuilder(state.getCaseDetails()).setStatus(status).build()).build());
      }
      new CaseListSnapshots(store, s3Prefix).write(states, december.plusSeconds(60));
    }
    Path sinkConfig = dir.resolve("sink.properties");
    Files.writeString(sinkConfig, String.join("\n",
        "kafka.bootstrap.servers=" + KafkaFixture.bootstrapServers(), "schema.registry.url=http://127.0.0.1:1", "topic.prefix=" + prefix,
        "s3.bucket=" + BUCKET, "s3.prefix=" + s3Prefix, "s3.endpoint=" + endpoint, "s3.path.style.access=true",
        "s3.access.key.id=" + ACCESS_KEY, "s3.secret.access.key=" + SECRET_KEY, ""));
    String[] args = {"--bootstrap-servers", KafkaFixture.bootstrapServers(), "--topic-prefix", prefix,
        "--sink-config", sinkConfig.toString(), "--before", "2026-12-01"};

    Map<String, byte[]> before = objectsUnder(s3Prefix + "/");
    String dryRun = run(args);
    assertThat(dryRun).contains("resolved before 2026-12-01: 1 case(s)").contains(CaseKeys.of(ACCOUNT, oldResolved))
        .doesNotContain(reopened).doesNotContain(stillOpen).doesNotContain(newResolved).contains("dry run: nothing was changed");
    assertThat(objectsUnder(s3Prefix + "/")).containsOnlyKeys(before.keySet())
        .allSatisfy((key, bytes) -> assertThat(bytes).isEqualTo(before.get(key)));

    run(append(args, "--apply"));
    Map<String, byte[]> after = objectsUnder(s3Prefix + "/");
    for (String key : before.keySet()) {
      if (key.endsWith(".csv")) {
        String text = new String(after.get(key), StandardCharsets.UTF_8);
        assertThat(text).as(key).doesNotContain("Subject of " + oldResolved)
            .contains("Subject of " + reopened).contains("Subject of " + stillOpen).contains("Subject of " + newResolved);
      }
    }
    String auditKey = after.keySet().stream().filter(k -> k.contains("_casefeed/erasures/")).findFirst().orElseThrow();
    assertThat(new String(after.get(auditKey), StandardCharsets.UTF_8)).contains("\"state\" : \"done\"").contains(oldResolved)
        .doesNotContain(reopened).doesNotContain("Subject of");
    List<ConsumerRecord<byte[], byte[]>> tombstones = casesRecords(prefix + Topics.CASE_OBSERVATIONS.name());
    assertThat(tombstones).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactly(CaseKeys.of(ACCOUNT, oldResolved));

    // Run again (e.g. after an interruption): nothing left to rewrite.
    assertThat(run(append(args, "--apply"))).contains("already erased").doesNotContain("rewrite");
    Map<String, byte[]> again = objectsUnder(s3Prefix + "/");
    before.keySet().forEach(key -> assertThat(again.get(key)).as(key).isEqualTo(after.get(key)));
  }

  private static CaseChange lifecycle(String caseId, int n, long version, String status, Instant observedAt) {
    CaseChange change = change(caseId, n);
    return CaseChange.newBuilder(change).setVersion(version).setObservedAt(observedAt)
        .setCurrent(CaseDetails.newBuilder(change.getCurrent()).setStatus(status).build()).build();
  }

  private static Map<String, byte[]> objectsUnder(String keyPrefix) {
    Map<String, byte[]> selected = new HashMap<>();
    objects().forEach((key, bytes) -> {
      if (key.startsWith(keyPrefix)) {
        selected.put(key, bytes);
      }
    });
    return selected;
  }

  private static CaseChange change(String caseId, int n) {
    CaseChange example = (CaseChange) ExampleRecords.byTopic().get(Topics.CASE_CHANGES);
    String person = ERASED_CASE.equals(caseId) ? "erased-person@example.com" : "kept-person@example.com";
    CaseDetails current = CaseDetails.newBuilder(example.getCurrent()).setCaseId(caseId).setSubject("Subject of " + caseId)
        .setSubmittedBy(person).build();
    return CaseChange.newBuilder(example).setEventId("event-" + n).setAccountId(ACCOUNT).setCaseId(caseId).setCurrent(current)
        .setPrevious(null).setCommunicationAuthor(null).build();
  }

  private static CaseState state(String caseId) {
    CaseState example = (CaseState) ExampleRecords.byTopic().get(Topics.CASES);
    String person = ERASED_CASE.equals(caseId) ? "erased-person@example.com" : "kept-person@example.com";
    CaseDetails details = CaseDetails.newBuilder(example.getCaseDetails()).setAccountId(ACCOUNT).setCaseId(caseId)
        .setSubject("Subject of " + caseId).setSubmittedBy(person).build();
    return CaseState.newBuilder(example).setAccountId(ACCOUNT).setCaseDetails(details).build();
  }

  private static List<GenericRecord> parquetRows(Path dir, byte[] bytes) throws Exception {
    Path local = Files.write(Files.createTempFile(dir, "snapshot-", ".parquet"), bytes);
    List<GenericRecord> rows = new ArrayList<>();
    try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(local),
        new PlainParquetConfiguration()).build()) {
      for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
        rows.add(row);
      }
    }
    return rows;
  }

  private static String[] append(String[] args, String extra) {
    String[] result = java.util.Arrays.copyOf(args, args.length + 1);
    result[args.length] = extra;
    return result;
  }

  private static String run(String[] args) {
    return EraseRun.run(args);
  }


  private static Map<String, byte[]> objects() {
    Map<String, byte[]> objects = new HashMap<>();
    try (S3Client s3 = client()) {
      s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().forEach(o -> {
        ResponseBytes<?> bytes = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(o.key()));
        objects.put(o.key(), bytes.asByteArray());
      });
    }
    return objects;
  }

  private static List<GenericRecord> historyRows(Path dir) throws Exception {
    List<GenericRecord> rows = new ArrayList<>();
    for (var entry : objectsUnder("casefeed/case_changes/").entrySet()) {
      if (!entry.getKey().endsWith(".parquet")) {
        continue;
      }
      Path local = Files.write(dir.resolve(Objects.toString(entry.getKey().hashCode()) + ".parquet"), entry.getValue());
      try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(local),
          new PlainParquetConfiguration()).build()) {
        for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
          rows.add(row);
        }
      }
    }
    return rows;
  }

  private static List<ConsumerRecord<byte[], byte[]>> casesRecords(String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", KafkaFixture.bootstrapServers()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      while (consumer.position(tp) < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
