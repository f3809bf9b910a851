package io.casefeed.sink.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.localcloud.registry.SchemaRegistryServer;
import io.casefeed.localcloud.registry.SchemaStore;
import io.casefeed.schema.CaseChange;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSchemas;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.schemas.serde.WireFormat;
import io.casefeed.sink.S3Sink;
import io.casefeed.sink.config.SinkConfig;
import io.casefeed.sink.testing.Changes;
import io.casefeed.sink.testing.Feed;
import io.casefeed.sink.testing.History;
import io.casefeed.sink.testing.LocalS3;
import io.casefeed.sink.testing.SinkSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The registry stops while the sink runs, and changes written with a schema id the sink has never
 * seen arrive meanwhile: they wait (readiness DOWN after the threshold), nothing is dead-lettered,
 * and once the registry is back every change is in S3 exactly once.
 */
class RegistryOutageIT {

  private static final String BUCKET = "registry-outage-it";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LocalS3 s3;

  @BeforeAll
  static void start() throws Exception {
    s3 = LocalS3.start(BUCKET);
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  @Test
  void changesThatNeedTheRegistryWaitForItAndNoneIsDeadLettered(@TempDir Path registryData, @TempDir Path scratch) throws Exception {
    String prefix = KafkaFixture.unique("regout") + ".";
    KafkaFixture.createTopics(prefix, List.of(Topics.CASE_CHANGES, Topics.DEAD_LETTER), 2);
    String topic = prefix + Topics.CASE_CHANGES.name();
    SchemaRegistryServer registry = new SchemaRegistryServer(new SchemaStore(registryData, JSON), JSON, 0);
    int registryPort = URI.create(registry.url()).getPort();
    Instant first = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    List<CaseChange> before = Feed.sendChanges(registry.url(), topic, 40, first, Duration.ofSeconds(1));

    // A compatible next version of the schema, registered before the outage: the sink has not seen its id.
    HttpSchemaRegistryClient producerRegistry = new HttpSchemaRegistryClient(registry.url());
    AvroSerde<CaseChange> serde = new AvroSerde<>(CaseChange.class, producerRegistry);
    int newId = producerRegistry.register(topic + "-value", withOptionalField(AvroSchemas.portableSchemaOf(CaseChange.class)));
    serde.serialize(topic, before.get(0)); // the old id cached here, to write with it during the outage

    Map<String, String> settings = SinkSettings.of(prefix, s3.endpoint(), BUCKET, registry.url());
    settings.put("snapshot.enabled", "false");
    SinkConfig config = new SinkConfig(settings);
    List<CaseChange> sent = new ArrayList<>(before);
    try (S3Sink sink = S3Sink.create(config, Clock.systemUTC(), new SimpleMeterRegistry()).registryDownAfter(Duration.ofSeconds(2)).start();
        S3Client client = s3.client()) {
      await().atMost(Duration.ofSeconds(60)).until(() -> stored(client) >= 40);
      assertThat(sink.registryHealthy()).isTrue();

      registry.close();
      try (KafkaProducer<byte[], byte[]> producer = Feed.producer()) {
        for (int n = 40; n < 60; n++) {
          Instant at = first.plusSeconds(n);
          CaseChange change = Changes.change(n, at);
          byte[] value = n % 2 == 0 ? withSchemaId(newId, serde.serialize(topic, change)) : serde.serialize(topic, change);
          producer.send(new ProducerRecord<>(topic, null, at.toEpochMilli(),
              CaseKeys.of(change.getAccountId(), change.getCaseId()).getBytes(StandardCharsets.UTF_8), value)).get();
          sent.add(change);
        }
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> !sink.registryHealthy());
      assertThat(sink.failure()).isNotDone();
      assertThat(recordsIn(prefix + Topics.DEAD_LETTER.name())).isZero();
      long storedDuringOutage = stored(client);
      assertThat(storedDuringOutage).isLessThan(60);

      registry = new SchemaRegistryServer(new SchemaStore(registryData, JSON), JSON, registryPort);
      await().atMost(Duration.ofSeconds(90)).until(() -> stored(client) >= 60);
      await().atMost(Duration.ofSeconds(30)).until(sink::registryHealthy);

      List<History.Row> rows = History.rows(client, BUCKET, "casefeed", scratch);
      assertThat(rows).hasSize(60);
      assertThat(rows.stream().map(History.Row::eventId).collect(Collectors.toSet()))
          .isEqualTo(sent.stream().map(CaseChange::getEventId).collect(Collectors.toSet()));
      Map<String, String> subjects = sent.stream().collect(Collectors.toMap(CaseChange::getEventId, c -> c.getCurrent().getSubject()));
      assertThat(rows).allSatisfy(row -> assertThat(row.subject()).isEqualTo(subjects.get(row.eventId())));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(committed(config.historyGroupId())).isEqualTo(60));
      assertThat(recordsIn(prefix + Topics.DEAD_LETTER.name())).isZero();
      assertThat(sink.failure()).isNotDone();
    } finally {
      registry.close();
    }
  }

  private static long stored(S3Client client) {
    return History.ranges(client, BUCKET, "casefeed").stream().mapToLong(r -> r.end() - r.start() + 1).sum();
  }

  /** The schema with one more optional field at the end: BACKWARD compatible, so the sink's reader resolves it. */
  static Schema withOptionalField(Schema schema) throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(schema.toString());
    ObjectNode field = ((ArrayNode) json.get("fields")).addObject();
    field.put("name", "registry_outage_it_note");
    field.putArray("type").add("null").add("string");
    field.putNull("default");
    return new Schema.Parser().parse(json.toString());
  }

  /**
   * The same change framed under {@code schemaId}: Avro writes a record's fields one after the
   * other, so the old encoding followed by a null union branch (one zero byte) is the new one.
   */
  static byte[] withSchemaId(int schemaId, byte[] framed) {
    byte[] body = Arrays.copyOfRange(framed, WireFormat.HEADER_SIZE, framed.length);
    ByteBuffer out = ByteBuffer.allocate(WireFormat.HEADER_SIZE + body.length + 1);
    out.put(WireFormat.MAGIC_BYTE).putInt(schemaId).put(body).put((byte) 0);
    return out.array();
  }

  private static long committed(String groupId) throws Exception {
    try (Admin admin = KafkaFixture.admin()) {
      return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
          .values().stream().mapToLong(o -> o.offset()).sum();
    }
  }

  private static long recordsIn(String topic) {
    Map<String, Object> settings = new HashMap<>();
    settings.put("bootstrap.servers", KafkaFixture.bootstrapServers());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
