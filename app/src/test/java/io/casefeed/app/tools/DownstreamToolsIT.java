package io.casefeed.app.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.schema.CaseChange;
import io.casefeed.schemas.DeadLetters;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.examples.ExampleRecords;
import io.casefeed.schemas.registry.InMemorySchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class DownstreamToolsIT {

  final Map<String, Object> kafka = Map.of("bootstrap.servers", KafkaFixture.bootstrapServers());

  @Test
  void tailPrintsCommittedChangesOneLinePerEventAndSkipsAbortedOnes() throws Exception {
    String prefix = KafkaFixture.unique("tail") + ".";
    String topic = prefix + Topics.CASE_CHANGES.name();
    KafkaFixture.createTopics(prefix, List.of(Topics.CASE_CHANGES), 2);
    InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    AvroSerde<CaseChange> serde = new AvroSerde<>(CaseChange.class, registry);
    CaseChange committed = (CaseChange) ExampleRecords.byTopic().get(Topics.CASE_CHANGES);
    CaseChange aborted = CaseChange.newBuilder(committed).setVersion(99).setEventId("aborted").build();

    try (var producer = new KafkaProducer<byte[], byte[]>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers(),
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, KafkaFixture.unique("tail-tx")), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(record(topic, aborted, serde));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(record(topic, committed, serde));
      producer.commitTransaction();
    }

    ByteArrayOutputStream text = new ByteArrayOutputStream();
    long printed = new ChangeFeedTail(kafka, topic, serde, new PrintStream(text, true, StandardCharsets.UTF_8), false)
        .run(ChangeFeedTail.Start.BEGINNING, 1, deadline(30));
    assertThat(printed).isEqualTo(1);
    assertThat(text.toString(StandardCharsets.UTF_8).trim()).isEqualTo(
        "2026-11-26T08:15:30.250Z 123456789012 #174839201 STATUS_CHANGED v4 work-in-progress -> pending-customer-action"
            + " [high amazon-elastic-compute-cloud-linux en] \"EC2 instance i-0abc unreachable after maintenance, \"urgent\"\"");

    ByteArrayOutputStream json = new ByteArrayOutputStream();
    new ChangeFeedTail(kafka, topic, serde, new PrintStream(json, true, StandardCharsets.UTF_8), true)
        .run(ChangeFeedTail.Start.BEGINNING, 1, deadline(30));
    var parsed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toString(StandardCharsets.UTF_8));
    assertThat(parsed.path("changeType").asText()).isEqualTo("STATUS_CHANGED");
    assertThat(parsed.path("version").asLong()).isEqualTo(4);
  }

  @Test
  void deadLettersAreListedWithTheirReasonsAndReplayedOnceToTheirSource() throws Exception {
    String prefix = KafkaFixture.unique("dlq") + ".";
    String deadLetterTopic = prefix + Topics.DEAD_LETTER.name();
    String sourceTopic = prefix + Topics.CASE_OBSERVATIONS.name();
    KafkaFixture.createTopics(prefix, List.of(Topics.DEAD_LETTER, Topics.CASE_OBSERVATIONS), 1);
    byte[] poison = "not avro at all".getBytes(StandardCharsets.UTF_8);
    var source = new ConsumerRecord<>(sourceTopic, 0, 41L, "123456789012:case-x".getBytes(StandardCharsets.UTF_8), poison);

    try (var producer = new KafkaProducer<byte[], byte[]>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
      var letter = DeadLetters.of(source, "undecodable value", new IllegalArgumentException("unknown magic byte 110"),
          "stream-processor", Instant.parse("2026-11-26T09:00:00Z"));
      producer.send(new ProducerRecord<>(deadLetterTopic, null, letter.key(), letter.value(), letter.headers())).get();
    }

    DeadLetterBrowser browser = new DeadLetterBrowser(kafka, deadLetterTopic);
    List<DeadLetterBrowser.DeadLetter> letters = browser.list();
    assertThat(letters).singleElement().satisfies(l -> {
      assertThat(l.reason()).isEqualTo("undecodable value");
      assertThat(l.sourceTopic()).isEqualTo(sourceTopic);
      assertThat(l.sourceOffset()).isEqualTo("41");
      assertThat(l.describe()).contains("undecodable value").contains("stream-processor").contains(sourceTopic + "/0@41");
    });

    assertThat(browser.replay(Map.of(0, Set.of(letters.get(0).offset())))).hasSize(1);

    // A Support item the collector could not read came from AWS, not from a topic: refused with the reason, nothing sent.
    try (var producer = new KafkaProducer<byte[], byte[]>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(deadLetterTopic, null, "123456789012".getBytes(StandardCharsets.UTF_8),
          "{\"caseId\":null}".getBytes(StandardCharsets.UTF_8), DeadLetters.headers("Support DescribeCases item without caseId",
              null, "support:DescribeCases", -1, -1, "collector", Instant.parse("2026-11-26T09:01:00Z")))).get();
    }
    assertThatThrownBy(() -> browser.replay(Map.of(0, Set.of(1L))))
        .hasMessageContaining("0@1 came from support:DescribeCases, not from a Kafka topic");

    try (var consumer = new KafkaConsumer<byte[], byte[]>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, KafkaFixture.unique("replay-check"),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(sourceTopic));
      ConsumerRecord<byte[], byte[]> replayed = null;
      long end = System.currentTimeMillis() + 30_000;
      while (replayed == null && System.currentTimeMillis() < end) {
        for (var r : consumer.poll(Duration.ofMillis(500))) {
          replayed = r;
        }
      }
      assertThat(replayed).isNotNull();
      assertThat(replayed.value()).isEqualTo(poison);
      assertThat(new String(replayed.key(), StandardCharsets.UTF_8)).isEqualTo("123456789012:case-x");
      assertThat(DeadLetters.header(replayed.headers(), DeadLetterBrowser.REPLAYED_FROM)).isEqualTo(deadLetterTopic + "/0@0");
    }
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, CaseChange change, AvroSerde<CaseChange> serde) {
    String key = change.getAccountId() + ":" + change.getCaseId();
    return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), serde.serialize(topic, change));
  }

  private static java.util.function.BooleanSupplier deadline(int seconds) {
    long end = System.currentTimeMillis() + seconds * 1000L;
    return () -> System.currentTimeMillis() < end;
  }
}
