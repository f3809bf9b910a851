package io.casefeed.app.erase;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseDetails;
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
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
import picocli.CommandLine;
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
    KafkaFixture.createTopics(prefix, List.of(Topics.CASES, Topics.CASE_CHANGES), 1);
    String casesTopic = prefix + Topics.CASES.name();
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
      HistoryUploader uploader = new HistoryUploader(store, "casefeed", false, new SimpleMeterRegistry());
      List<ChangeRow> rows = new ArrayList<>();
      for (int offset = 0; offset < 10; offset++) {
        String caseId = offset % 2 == 0 ? ERASED_CASE : KEPT_CASE;
        rows.add(new ChangeRow(changesTopic, 0, offset, Instant.parse("2026-12-01T10:00:00Z").plusSeconds(offset).toEpochMilli(),
            change(caseId, offset)));
      }
      uploader.write(changesTopic, 0, "2026-12-01", rows.subList(0, 6));
      uploader.write(changesTopic, 0, "2026-12-01", rows.subList(6, 10));
    }
    Path sinkConfig = dir.resolve("sink.properties");
    Files.writeString(sinkConfig, String.join("\n",
        "kafka.bootstrap.servers=" + KafkaFixture.bootstrapServers(), "schema.registry.url=http://127.0.0.1:1", "topic.prefix=" + prefix,
        "s3.bucket=" + BUCKET, "s3.endpoint=" + endpoint, "s3.path.style.access=true", "s3.access.key.id=" + ACCESS_KEY,
        "s3.secret.access.key=" + SECRET_KEY, ""));
    String[] args = {"--bootstrap-servers", KafkaFixture.bootstrapServers(), "--topic-prefix", prefix,
        "--sink-config", sinkConfig.toString(), "--account", ACCOUNT, "--case", ERASED_CASE};

    Map<String, byte[]> before = objects();
    String dryRun = run(args);
    assertThat(dryRun).contains("would write a tombstone for key " + CaseKeys.of(ACCOUNT, ERASED_CASE))
        .contains("3 row(s) of the case").contains("2 row(s) of the case").contains("dry run: nothing was changed");
    assertThat(objects()).containsOnlyKeys(before.keySet());
    assertThat(objects()).allSatisfy((key, bytes) -> assertThat(bytes).isEqualTo(before.get(key)));
    assertThat(casesRecords(casesTopic)).hasSize(2);

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
    Map<String, byte[]> after = objects();
    String auditKey = after.keySet().stream().filter(k -> k.contains("_casefeed/erasures/")).findFirst().orElseThrow();
    String audit = new String(after.get(auditKey), StandardCharsets.UTF_8);
    assertThat(audit).contains(ERASED_CASE).contains("\"rows_erased\" : 3").contains("\"rows_erased\" : 2")
        .doesNotContain("Subject of " + ERASED_CASE).doesNotContain("erased-person@example.com");
    try (S3Client s3 = client()) {
      for (String key : before.keySet()) {
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key(key)).metadata())
            .containsEntry(HistoryKeys.PARTITION, "0").containsKey(HistoryKeys.START_OFFSET).containsKey(HistoryKeys.END_OFFSET);
      }
    }
    List<ConsumerRecord<byte[], byte[]>> cases = casesRecords(casesTopic);
    assertThat(cases).hasSize(3);
    ConsumerRecord<byte[], byte[]> tombstone = cases.get(2);
    assertThat(new String(tombstone.key(), StandardCharsets.UTF_8)).isEqualTo(CaseKeys.of(ACCOUNT, ERASED_CASE));
    assertThat(tombstone.value()).isNull();

    // Idempotent: nothing left to rewrite, the history objects stay as they are.
    Map<String, byte[]> erased = objects();
    String again = run(append(args, "--apply"));
    assertThat(again).contains("already erased");
    Map<String, byte[]> afterAgain = objects();
    before.keySet().forEach(key -> assertThat(afterAgain.get(key)).isEqualTo(erased.get(key)));
  }

  private static CaseChange change(String caseId, int n) {
    CaseChange example = (CaseChange) ExampleRecords.byTopic().get(Topics.CASE_CHANGES);
    String person = ERASED_CASE.equals(caseId) ? "erased-person@example.com" : "kept-person@example.com";
    CaseDetails current = CaseDetails.newBuilder(example.getCurrent()).setCaseId(caseId).setSubject("Subject of " + caseId)
        .setSubmittedBy(person).build();
    return CaseChange.newBuilder(example).setEventId("event-" + n).setAccountId(ACCOUNT).setCaseId(caseId).setCurrent(current)
        .setPrevious(null).setCommunicationAuthor(null).build();
  }

  private static String[] append(String[] args, String extra) {
    String[] result = java.util.Arrays.copyOf(args, args.length + 1);
    result[args.length] = extra;
    return result;
  }

  private static String run(String[] args) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = new CommandLine(new EraseCommand()).execute(args);
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    original.print(output);
    assertThat(exit).as(output).isZero();
    return output;
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
    for (var entry : objects().entrySet()) {
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
