package io.casefeed.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casefeed.common.time.MutableClock;
import io.casefeed.localcloud.registry.SchemaRegistryServer;
import io.casefeed.localcloud.registry.SchemaStore;
import io.casefeed.notifier.Notifier;
import io.casefeed.notifier.config.NotifierConfig;
import io.casefeed.notifier.delivery.SesClients;
import io.casefeed.notifier.delivery.SesMailSender;
import io.casefeed.notifier.testing.Cases;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.schemas.TopicSpec;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.casefeed.schemas.registry.SchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSchemas;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.schemas.serde.WireFormat;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema registry stops while the notifier runs, and changes arrive meanwhile, one of them
 * written with a schema id the notifier has never seen: it waits (readiness DOWN after the
 * threshold), nothing goes to the dead-letter topic, and once the registry is back every change's
 * alert is mailed.
 */
class NotifierRegistryOutageIT extends NotifierItSupport {

  private static final String ACCOUNT = "444444444444";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant DAY = LocalDate.now(ZoneOffset.UTC).minusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private static Instant at(String time) {
    return DAY.plus(Duration.between(java.time.LocalTime.MIDNIGHT, java.time.LocalTime.parse(time)));
  }

  @Test
  void changesThatNeedTheRegistryWaitForItAndAreAllAlerted(@TempDir Path registryData) throws Exception {
    String prefix = topics("regout");
    String group = "regout" + Math.abs(prefix.hashCode() % 10_000);
    List<String> recipients = List.of(group + ".carol@example.com");
    SchemaRegistryServer ownRegistry = new SchemaRegistryServer(new SchemaStore(registryData, JSON), JSON, 0);
    int registryPort = URI.create(ownRegistry.url()).getPort();
    try {
      SchemaRegistryClient writer = new HttpSchemaRegistryClient(ownRegistry.url());
      MutableClock clock = new MutableClock(at("10:00:00"));
      send(writer, prefix, Topics.ACCOUNTS, ACCOUNT, Cases.account(ACCOUNT, "prod-ledger", at("09:00:00")), at("09:00:00"));
      send(writer, prefix, Topics.SWEEPS, ACCOUNT, Cases.sweep(ACCOUNT, "ok", null, at("09:59:00")), at("09:59:00"));

      Map<String, String> properties = baseConfig(prefix, group, recipients);
      properties.put("schema.registry.url", ownRegistry.url());
      NotifierConfig config = NotifierConfig.load(null, Map.of(), properties);
      try (Notifier notifier = new Notifier(config, clock, new HttpSchemaRegistryClient(ownRegistry.url()),
          new SesMailSender(SesClients.fromConfig(config), null), meters, (step, mail) -> { }, d -> Thread.sleep(d.toMillis()))) {
        notifier.start();
        assertThat(notifier.awaitReady(Duration.ofSeconds(60))).isTrue();

        // 10:05 a first urgent case: read with the schema the notifier then keeps, alerted as usual.
        clock.set(at("10:05:00"));
        CaseDetails first = Cases.details(ACCOUNT, "18000000001", "Ledger writes time out", "opened", "urgent", at("10:04:40"));
        String topic = prefix + Topics.CASE_CHANGES.name();
        AvroSerde<CaseChange> changes = new AvroSerde<>(CaseChange.class, writer);
        sendBytes(topic, first, at("10:05:00"), changes.serialize(topic, Cases.change("CASE_OPENED", null, first, at("10:05:00"), false)));
        awaitRead("casefeed.case-changes", 1);
        clock.set(at("10:06:20"));
        await().atMost(Duration.ofSeconds(60)).until(() -> mailsTo(recipients).size() == 1);

        // The registry stops; a next schema version was registered before, which the notifier has not seen.
        int newId = writer.register(topic + "-value", withOptionalField(AvroSchemas.portableSchemaOf(CaseChange.class)));
        ownRegistry.close();
        clock.set(at("10:10:00"));
        CaseDetails second = Cases.details(ACCOUNT, "18000000002", "Replica lag on ledger-db", "opened", "urgent", at("10:09:30"));
        CaseDetails third = Cases.details(ACCOUNT, "18000000003", "Ledger export stuck", "opened", "critical", at("10:09:50"));
        sendBytes(topic, second, at("10:10:00"),
            withSchemaId(newId, changes.serialize(topic, Cases.change("CASE_OPENED", null, second, at("10:10:00"), false))));
        sendBytes(topic, third, at("10:10:05"), changes.serialize(topic, Cases.change("CASE_OPENED", null, third, at("10:10:05"), false)));
        // Time passes for the notifier: once the change has waited past the threshold, readiness is DOWN.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
          clock.advance(Duration.ofSeconds(15));
          return !notifier.registryHealthy();
        });
        assertThat(notifier.failure()).isNull();
        assertThat(deadLetters(prefix)).isEmpty();

        ownRegistry = new SchemaRegistryServer(new SchemaStore(registryData, JSON), JSON, registryPort);
        awaitRead("casefeed.case-changes", 3);
        await().atMost(Duration.ofSeconds(30)).until(notifier::registryHealthy);
        clock.advance(Duration.ofMinutes(2));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(alerted(recipients))
            .contains("18000000001").contains("18000000002").contains("Replica lag on ledger-db")
            .contains("18000000003").contains("Ledger export stuck"));
        assertThat(deadLetters(prefix)).isEmpty();
        assertThat(notifier.failure()).isNull();
      }
    } finally {
      ownRegistry.close();
    }
  }

  /**
   * The notifier is restarted while the registry is down (as the fault suite does): its ledger, read
   * before anything is sent, needs the registry. It waits, not ready and not failed; once the registry
   * is back it becomes ready, sends nothing twice, and alerts a change that arrived meanwhile.
   */
  @Test
  void aNotifierStartedDuringAnOutageWaitsForTheRegistryAndSendsNothingTwice(@TempDir Path registryData) throws Exception {
    String prefix = topics("regrestart");
    String group = "regrestart" + Math.abs(prefix.hashCode() % 10_000);
    List<String> recipients = List.of(group + ".dave@example.com");
    SchemaRegistryServer ownRegistry = new SchemaRegistryServer(new SchemaStore(registryData, JSON), JSON, 0);
    String registryUrl = ownRegistry.url();
    int registryPort = URI.create(registryUrl).getPort();
    try {
      SchemaRegistryClient writer = new HttpSchemaRegistryClient(ownRegistry.url());
      MutableClock clock = new MutableClock(at("10:00:00"));
      send(writer, prefix, Topics.ACCOUNTS, ACCOUNT, Cases.account(ACCOUNT, "prod-ledger", at("09:00:00")), at("09:00:00"));
      send(writer, prefix, Topics.SWEEPS, ACCOUNT, Cases.sweep(ACCOUNT, "ok", null, at("09:59:00")), at("09:59:00"));
      Map<String, String> properties = baseConfig(prefix, group, recipients);
      properties.put("schema.registry.url", ownRegistry.url());
      NotifierConfig config = NotifierConfig.load(null, Map.of(), properties);
      String topic = prefix + Topics.CASE_CHANGES.name();
      AvroSerde<CaseChange> changes = new AvroSerde<>(CaseChange.class, writer);

      try (Notifier first = notifier(config, clock, registryUrl)) {
        first.start();
        assertThat(first.awaitReady(Duration.ofSeconds(60))).isTrue();
        clock.set(at("10:05:00"));
        CaseDetails opened = Cases.details(ACCOUNT, "18000000011", "Ledger writes time out", "opened", "urgent", at("10:04:40"));
        sendBytes(topic, opened, at("10:05:00"), changes.serialize(topic, Cases.change("CASE_OPENED", null, opened, at("10:05:00"), false)));
        awaitRead("casefeed.case-changes", 1);
        clock.set(at("10:06:20"));
        await().atMost(Duration.ofSeconds(60)).until(() -> mailsTo(recipients).size() == 1);
      }
      assertThat(readAll(prefix + Topics.NOTIFICATIONS.name())).as("the ledger the restart must read").isNotEmpty();

      ownRegistry.close();
      clock.set(at("10:10:00"));
      CaseDetails later = Cases.details(ACCOUNT, "18000000012", "Ledger export stuck", "opened", "critical", at("10:09:50"));
      sendBytes(topic, later, at("10:10:00"), changes.serialize(topic, Cases.change("CASE_OPENED", null, later, at("10:10:00"), false)));
      // A new client: nothing cached, so the ledger's schema id must come from the registry that is down.
      try (Notifier second = notifier(config, clock, registryUrl)) {
        second.start();
        assertThat(second.awaitReady(Duration.ofSeconds(15))).as("ready without the registry").isFalse();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
          clock.advance(Duration.ofSeconds(15));
          return !second.registryHealthy();
        });
        assertThat(second.failure()).as("failed in the outage").isNull();

        ownRegistry = new SchemaRegistryServer(new SchemaStore(registryData, JSON), JSON, registryPort);
        assertThat(second.awaitReady(Duration.ofSeconds(60))).as("ready once the registry is back").isTrue();
        await().atMost(Duration.ofSeconds(30)).until(second::registryHealthy);
        clock.advance(Duration.ofMinutes(2));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(alerted(recipients)).contains("18000000012"));
        assertThat(mailsTo(recipients)).as("one mail per window, the first not sent again").hasSize(2);
        assertThat(deadLetters(prefix)).isEmpty();
        assertThat(second.failure()).isNull();
      }
    } finally {
      ownRegistry.close();
    }
  }

  private Notifier notifier(NotifierConfig config, MutableClock clock, String registryUrl) {
    return new Notifier(config, clock, new HttpSchemaRegistryClient(registryUrl),
        new SesMailSender(SesClients.fromConfig(config), null), meters, (step, mail) -> { }, d -> Thread.sleep(d.toMillis()));
  }

  private static String alerted(List<String> recipients) {
    return String.join("\n", mailsTo(recipients).stream().map(m -> m.text).toList());
  }

  private void awaitRead(String topic, int total) {
    await().atMost(Duration.ofSeconds(60))
        .until(() -> meters.counter("casefeed.notifier.records.read", "topic", topic).count() >= total);
  }

  private static void send(SchemaRegistryClient registry, String prefix, TopicSpec spec, String key, SpecificRecord value,
      Instant timestamp) throws Exception {
    String topic = prefix + spec.name();
    @SuppressWarnings({"unchecked", "rawtypes"})
    byte[] bytes = new AvroSerde(spec.valueType(), registry).serialize(topic, value);
    producer.send(new ProducerRecord<>(topic, null, timestamp.toEpochMilli(), key.getBytes(StandardCharsets.UTF_8), bytes))
        .get(30, TimeUnit.SECONDS);
  }

  private static void sendBytes(String topic, CaseDetails details, Instant timestamp, byte[] value) throws Exception {
    byte[] key = CaseKeys.of(details.getAccountId(), details.getCaseId()).getBytes(StandardCharsets.UTF_8);
    producer.send(new ProducerRecord<>(topic, null, timestamp.toEpochMilli(), key, value)).get(30, TimeUnit.SECONDS);
  }

  /** The schema with one more optional field at the end: BACKWARD compatible, so the notifier's reader resolves it. */
  private static Schema withOptionalField(Schema schema) throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(schema.toString());
    ObjectNode field = ((ArrayNode) json.get("fields")).addObject();
    field.put("name", "registry_outage_it_note");
    field.putArray("type").add("null").add("string");
    field.putNull("default");
    return new Schema.Parser().parse(json.toString());
  }

  /** The same record framed under {@code schemaId}: its old encoding followed by a null union branch (one zero byte). */
  private static byte[] withSchemaId(int schemaId, byte[] framed) {
    byte[] body = Arrays.copyOfRange(framed, WireFormat.HEADER_SIZE, framed.length);
    ByteBuffer out = ByteBuffer.allocate(WireFormat.HEADER_SIZE + body.length + 1);
    out.put(WireFormat.MAGIC_BYTE).putInt(schemaId).put(body).put((byte) 0);
    return out.array();
  }
}
