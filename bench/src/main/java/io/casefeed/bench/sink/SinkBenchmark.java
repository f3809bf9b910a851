package io.casefeed.bench.sink;

import io.casefeed.kafka.embedded.EmbeddedKafkaBroker;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.InMemorySchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.sink.S3Sink;
import io.casefeed.sink.config.SinkConfig;
import io.casefeed.sink.store.S3Clients;
import io.casefeed.sink.store.S3ObjectStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code casefeed bench sink}: change events per second the sink writes to Parquet on a local S3
 * (s3proxy), next to how fast a plain consumer reads the same topic on the same broker in the same
 * run. The ratio is what the sink costs over reading; both figures move with the machine.
 * Arguments: [records] (default 100000).
 */
public final class SinkBenchmark {

  private static final String BUCKET = "bench";
  private static final int PARTITIONS = 3;

  private SinkBenchmark() {}

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Path dir = Files.createTempDirectory("casefeed-bench-sink-");
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create(dir.resolve("kafka"), 0).start();
    S3Proxy s3proxy = S3Proxy.builder().blobStore(new TransientNio2BlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "bench", "bench-secret").build();
    s3proxy.start();
    URI endpoint = URI.create("http://127.0.0.1:" + s3proxy.getPort());
    try (S3Client s3 = S3Clients.create(endpoint, "us-east-1", true, "bench", "bench-secret", Duration.ofSeconds(30))) {
      s3.createBucket(b -> b.bucket(BUCKET));
      broker.createTopics(List.of(Topics.CASE_CHANGES, Topics.DEAD_LETTER), PARTITIONS);
      InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
      String topic = Topics.CASE_CHANGES.name();
      produce(broker.bootstrapServers(), registry, topic, records);
      System.out.printf(Locale.ROOT, "bench sink: %d change events in %d partitions on an embedded broker, s3proxy at %s%n",
          records, PARTITIONS, endpoint);

      double rawPerSecond = rawConsumeRate(broker.bootstrapServers(), topic, records);
      System.out.printf(Locale.ROOT, "bench sink: raw consume %.0f rec/s%n", rawPerSecond);

      Map<String, String> settings = new HashMap<>();
      settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
      settings.put("schema.registry.url", "http://127.0.0.1:1");
      settings.put("topic.create", "false");
      settings.put("s3.bucket", BUCKET);
      settings.put("aws.s3.endpoint.override", endpoint.toString());
      settings.put("aws.s3.path.style", "true");
      settings.put("aws.access.key.id", "bench");
      settings.put("aws.secret.access.key", "bench-secret");
      settings.put("snapshot.enabled", "false");
      settings.put("history.group.id", "bench-sink");
      settings.put("history.rotate.records", "20000");
      // Only the tail of each partition waits for the idle flush: keep it from dominating the figure.
      settings.put("history.idle.flush.ms", "200");
      SinkConfig config = new SinkConfig(settings);
      S3ObjectStore store = new S3ObjectStore(s3, BUCKET, config.retryPolicy(), config.multipartThreshold(), config.multipartPartSize(),
          new SimpleMeterRegistry());
      long start = System.nanoTime();
      long cpuStart = processCpuNanos();
      long committedAt;
      long cpuCommitted;
      S3Sink sink = new S3Sink(config, store, registry, Clock.systemUTC(), new SimpleMeterRegistry()).start();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        while (committed(admin, "bench-sink") < records) {
          if (sink.failure().isDone()) {
            throw new IllegalStateException("sink failed", sink.failure().join());
          }
          Thread.sleep(20);
        }
        // The figure ends when the last record is committed: closing is not writing, and is timed apart.
        committedAt = System.nanoTime();
        cpuCommitted = processCpuNanos();
      } finally {
        long closing = System.nanoTime();
        sink.close();
        System.out.printf(Locale.ROOT, "bench sink: sink closed in %d ms%n", (System.nanoTime() - closing) / 1_000_000);
      }
      double sinkPerSecond = records / ((committedAt - start) / 1e9);
      // CPU of the whole process (sink, broker, s3proxy) per record: steadier than the rate on a shared machine.
      double cpuMicrosPerRecord = (cpuCommitted - cpuStart) / 1e3 / records;
      long objects = s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("casefeed/case_changes/")).contents().stream().count();
      System.out.printf(Locale.ROOT, "bench sink: sink wrote %d Parquet objects, committed at %.0f rec/s%n", objects, sinkPerSecond);
      System.out.printf(Locale.ROOT, "bench sink: rec_per_s=%.0f raw_per_s=%.0f ratio=%.3f cpu_us_per_rec=%.1f%n", sinkPerSecond,
          rawPerSecond, sinkPerSecond / rawPerSecond, cpuMicrosPerRecord);
    } finally {
      s3proxy.stop();
      broker.stop();
    }
  }

  private static void produce(String bootstrap, InMemorySchemaRegistryClient registry, String topic, int records) {
    AvroSerde<CaseChange> serde = new AvroSerde<>(CaseChange.class, registry);
    Map<String, Object> settings = new HashMap<>();
    settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    settings.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    settings.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    Instant first = Instant.now().minus(Duration.ofDays(1));
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings)) {
      for (int n = 0; n < records; n++) {
        Instant at = first.plusMillis(n);
        CaseChange change = change(n, at);
        producer.send(new ProducerRecord<>(topic, null, at.toEpochMilli(),
            CaseKeys.of(change.getAccountId(), change.getCaseId()).getBytes(StandardCharsets.UTF_8), serde.serialize(topic, change)));
      }
      producer.flush();
    }
  }

  private static CaseChange change(int n, Instant at) {
    String account = String.format(Locale.ROOT, "%012d", 100_000_000_000L + n % 50);
    CaseDetails details = CaseDetails.newBuilder().setAccountId(account)
        .setCaseId("case-" + account + "-muen-2026-" + String.format(Locale.ROOT, "%016x", n % 5000))
        .setDisplayId(Integer.toString(170_000_000 + n % 5000)).setSubject("Benchmark case " + (n % 5000) + ", instance unreachable")
        .setStatus(n % 3 == 0 ? "resolved" : "opened").setServiceCode("amazon-ec2").setCategoryCode("other").setSeverityCode("low")
        .setSubmittedBy("ops@example.com").setTimeCreated("2026-11-01T10:00:00.000Z").setTimeCreatedAt(Instant.parse("2026-11-01T10:00:00Z"))
        .setLanguage("en").build();
    return CaseChange.newBuilder().setEventId("bench-" + n).setAccountId(account).setCaseId(details.getCaseId())
        .setChangeType("STATUS_CHANGED").setChangedFields(List.of("status")).setVersion(1 + n / 5000).setObservedAt(at)
        .setCurrent(details).build();
  }

  private static double rawConsumeRate(String bootstrap, String topic, int records) {
    Map<String, Object> settings = new HashMap<>();
    settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      long start = System.nanoTime();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long read = 0;
      while (read < records) {
        read += consumer.poll(Duration.ofMillis(200)).count();
      }
      return records / ((System.nanoTime() - start) / 1e9);
    }
  }

  /** CPU time of this JVM so far, every thread; -1 where the JVM does not tell. */
  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : -1;
  }

  private static long committed(Admin admin, String group) throws Exception {
    return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).values().stream()
        .mapToLong(o -> o.offset()).sum();
  }
}
