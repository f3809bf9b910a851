package io.casefeed.bench.streams;

import io.casefeed.kafka.embedded.EmbeddedKafkaBroker;
import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.Communication;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.InMemorySchemaRegistryClient;
import io.casefeed.schemas.registry.SchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.streams.topology.CaseSerdes;
import io.casefeed.streams.topology.CaseTopology;
import io.casefeed.streams.topology.TopologySettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * {@code casefeed bench streams}: observations per second through the real topology (decode,
 * dedupe, state, FK join, pivot; exactly_once_v2) on an embedded broker, next to an exactly_once_v2
 * pass-through with the same serdes and the broker's raw produce-then-consume rate for the same
 * records, all measured in this run. Arguments: [observations (default 20000)] [partitions (default 3)].
 */
public final class StreamsBenchmark {

  private static final int OBSERVATIONS_PER_CASE = 20;
  private static final int ACCOUNTS = 10;
  private static final long COMMIT_INTERVAL_MS =
      (Long) io.casefeed.streams.config.StreamProcessorConfig.DEFINITION.defaultValues().get(io.casefeed.streams.config.StreamProcessorConfig.COMMIT_INTERVAL_MS);
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  private StreamsBenchmark() {}

  public static void main(String[] args) throws Exception {
    int observations = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path dir = Files.createTempDirectory("casefeed-bench-streams-");
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create(dir.resolve("kafka"), 0).start();
    try {
      SchemaRegistryClient registry = new InMemorySchemaRegistryClient();
      String bootstrap = broker.bootstrapServers();
      List<ProducerRecord<byte[], byte[]>> records = observations(observations, registry);
      long bytes = records.stream().mapToLong(r -> r.value().length).sum();
      System.out.printf(Locale.ROOT, "bench streams: %d observations, %d bytes per observation on average, %d%% repeats, %d partitions%n",
          records.size(), bytes / records.size(), 100 - 100 / OBSERVATIONS_PER_CASE, partitions);

      // The first pass warms the JVM and the broker up so that no measurement pays for it.
      rawProduceConsume(broker, bootstrap, records, partitions);
      double raw = rawProduceConsume(broker, bootstrap, records, partitions);
      System.out.printf(Locale.ROOT, "raw produce->consume: %.0f obs/s%n", raw);
      double passthrough = streamsRun(broker, bootstrap, dir, records, partitions, registry, false);
      System.out.printf(Locale.ROOT, "exactly_once_v2 pass-through: %.0f obs/s%n", passthrough);
      double full = streamsRun(broker, bootstrap, dir, records, partitions, registry, true);
      System.out.printf(Locale.ROOT, "exactly_once_v2 dedupe + state + pivot: %.0f obs/s%n", full);
      System.out.printf(Locale.ROOT, "bench streams: obs_per_s=%.0f passthrough_per_s=%.0f raw_per_s=%.0f ratio=%.2f ratio_raw=%.2f%n",
          full, passthrough, raw, full / passthrough, full / raw);
    } finally {
      broker.stop();
    }
  }

  /** About 1 KB each: one case in {@value #OBSERVATIONS_PER_CASE} is new, the rest repeat it. */
  static List<ProducerRecord<byte[], byte[]>> observations(int count, SchemaRegistryClient registry) {
    AvroSerde<CaseObservation> serde = new AvroSerde<>(CaseObservation.class, registry);
    int cases = Math.max(1, count / OBSERVATIONS_PER_CASE);
    List<CaseObservation> distinct = new ArrayList<>();
    for (int i = 0; i < cases; i++) {
      String accountId = accountId(i % ACCOUNTS);
      String caseId = String.format(Locale.ROOT, "case-%s-muen-2026-%016x", accountId, i);
      Instant created = T0.plusSeconds(i * 37L);
      List<Communication> communications = new ArrayList<>();
      for (int c = 0; c < 2; c++) {
        Instant written = created.plusSeconds(600L * (2 - c));
        communications.add(new Communication(
            ("Hello, we are looking into the instance reachability issue you reported; the underlying host showed a "
                + "hardware fault and we have scheduled a retirement. Please stop and start the instance. If the problem persists, reply with the instance id and the time you saw it. ")
                + "Reference " + i + "/" + c,
            c == 0 ? "Amazon Web Services" : "ops@example.com", written.toString(), written, 0));
      }
      CaseDetails details = CaseDetails.newBuilder()
          .setAccountId(accountId).setCaseId(caseId).setDisplayId(Long.toString(170_000_000_000L + i))
          .setSubject("EC2 instance i-0abc" + i + " unreachable after maintenance window in eu-west-1")
          .setStatus(i % 3 == 0 ? "pending-customer-action" : "work-in-progress")
          .setServiceCode("amazon-elastic-compute-cloud-linux").setCategoryCode("instance-issue")
          .setSeverityCode(List.of("low", "normal", "high", "urgent").get(i % 4)).setSubmittedBy("ops@example.com")
          .setTimeCreated(created.toString()).setTimeCreatedAt(created)
          .setCcEmailAddresses(List.of("team@example.com", "oncall@example.com")).setLanguage("en")
          .setRecentCommunications(communications).build();
      distinct.add(CaseObservation.newBuilder().setAccountId(accountId).setCaseDetails(details)
          .setObservedAt(created).setPollId("poll-0").setPollKind("fast").setFirstReading(false).build());
    }
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      // Poll after poll, every case again: the same content, a later observedAt.
      CaseObservation first = distinct.get(n % cases);
      int poll = n / cases;
      CaseObservation observation = CaseObservation.newBuilder(first)
          .setObservedAt(first.getObservedAt().plusSeconds(60L * poll)).setPollId("poll-" + poll).build();
      byte[] key = CaseKeys.of(observation.getAccountId(), observation.getCaseDetails().getCaseId()).getBytes(StandardCharsets.UTF_8);
      records.add(new ProducerRecord<>("placeholder", key, serde.serialize(Topics.CASE_OBSERVATIONS.name(), observation)));
    }
    return records;
  }

  private static String accountId(int index) {
    return String.format(Locale.ROOT, "%012d", 100_000_000_000L + index);
  }

  /** Produce every record and consume them back in the same pipeline: the broker's ceiling for these bytes. */
  static double rawProduceConsume(EmbeddedKafkaBroker broker, String bootstrap, List<ProducerRecord<byte[], byte[]>> records, int partitions)
      throws Exception {
    String topic = "bench-raw-" + UUID.randomUUID();
    createTopics(broker, List.of(topic), partitions);
    Properties consumerProps = new Properties();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> assigned = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        assigned.add(new TopicPartition(topic, p));
      }
      consumer.assign(assigned);
      consumer.seekToBeginning(assigned);
      long start = System.nanoTime();
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>(records.size());
      for (ProducerRecord<byte[], byte[]> record : records) {
        sent.add(producer.send(new ProducerRecord<>(topic, record.key(), record.value())));
      }
      producer.flush();
      for (java.util.concurrent.Future<?> send : sent) {
        send.get(); // a send that failed for good fails the run here instead of leaving the consumer waiting
      }
      int received = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (received < records.size()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("read back " + received + " of " + records.size() + " records within 2 minutes");
        }
        received += consumer.poll(Duration.ofMillis(100)).count();
      }
      return records.size() / ((System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * Preloads the input, then runs a topology with exactly_once_v2 and times it from RUNNING until its
   * committed input offsets cover every record (outputs are committed in the same transactions).
   */
  static double streamsRun(EmbeddedKafkaBroker broker, String bootstrap, Path dir, List<ProducerRecord<byte[], byte[]>> records,
      int partitions, SchemaRegistryClient registry, boolean fullTopology) throws Exception {
    String prefix = "bench-" + (fullTopology ? "full" : "passthrough") + "-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    TopologySettings settings = TopologySettings.withPrefix(prefix, 100, Clock.systemUTC());
    createTopics(broker, Topics.ALL.stream().map(spec -> prefix + spec.name()).toList(), partitions);
    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
      if (fullTopology) {
        AvroSerde<AccountRecord> accountSerde = new AvroSerde<>(AccountRecord.class, registry);
        for (int a = 0; a < ACCOUNTS; a++) {
          AccountRecord account = AccountRecord.newBuilder().setAccountId(accountId(a)).setUpdatedAt(T0).build();
          producer.send(new ProducerRecord<>(settings.accountsTopic(), accountId(a).getBytes(StandardCharsets.UTF_8),
              accountSerde.serialize(settings.accountsTopic(), account)));
        }
      }
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>(records.size());
      for (ProducerRecord<byte[], byte[]> record : records) {
        sent.add(producer.send(new ProducerRecord<>(settings.observationsTopic(), record.key(), record.value())));
      }
      producer.flush();
      for (java.util.concurrent.Future<?> send : sent) {
        send.get(); // every input record is there before the clock starts, or the run fails here
      }
    }
    CaseSerdes serdes = CaseSerdes.of(registry, true);
    Topology topology;
    if (fullTopology) {
      topology = CaseTopology.build(settings, serdes);
    } else {
      StreamsBuilder builder = new StreamsBuilder();
      builder.stream(settings.observationsTopic(), Consumed.with(Serdes.String(), serdes.observation()))
          .to(settings.changesTopic(), Produced.with(Serdes.String(), serdes.observation()));
      topology = builder.build();
    }
    String applicationId = prefix + "app";
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // casefeed streams' own default (streams.commit.interval.ms), for both topologies.
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
    try (KafkaStreams streams = new KafkaStreams(topology, props); Admin admin = broker.admin()) {
      streams.start();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (streams.state() != KafkaStreams.State.RUNNING) {
        checkDeadline(deadline, streams);
        Thread.sleep(20);
      }
      long start = System.nanoTime();
      while (committed(admin, applicationId, settings.observationsTopic()) < records.size()) {
        checkDeadline(deadline, streams);
        Thread.sleep(50);
      }
      double perSecond = records.size() / ((System.nanoTime() - start) / 1e9);
      streams.close(Duration.ofSeconds(30));
      return perSecond;
    }
  }

  private static void checkDeadline(long deadline, KafkaStreams streams) {
    if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
      throw new IllegalStateException("benchmark run did not finish: streams " + streams.state());
    }
  }

  private static long committed(Admin admin, String groupId, String topic) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
    return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
        .mapToLong(e -> e.getValue().offset()).sum();
  }

  /**
   * The load generator's producer. Not idempotent: on a topic created a moment before, a first send
   * can meet NOT_LEADER, and an idempotent producer then sometimes kept failing its batches with
   * OutOfOrderSequence for good, and the run waited forever (about one run in four). Counting records
   * needs no order or exactly-once across retries; acks=all and retries stay.
   */
  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  private static void createTopics(EmbeddedKafkaBroker broker, Collection<String> names, int partitions) throws IOException {
    broker.createNewTopics(names.stream().map(name -> new NewTopic(name, partitions, (short) 1)).toList());
  }
}
