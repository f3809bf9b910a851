package io.casefeed.app.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.localcloud.registry.SchemaRegistryServer;
import io.casefeed.localcloud.registry.SchemaStore;
import io.casefeed.schema.CaseChange;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.examples.ExampleRecords;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Python consumer of docs/consumers.md, run as a downstream team would, against a real broker and registry. */
class ConsumerExamplesIT {

  @TempDir Path registryDir;

  @Test
  void thePythonExamplePrintsEveryCommittedChange() throws Exception {
    String prefix = KafkaFixture.unique("py") + ".";
    String topic = prefix + Topics.CASE_CHANGES.name();
    KafkaFixture.createTopics(prefix, List.of(Topics.CASE_CHANGES), 2);
    try (SchemaRegistryServer registry = new SchemaRegistryServer(new SchemaStore(registryDir, new ObjectMapper()), new ObjectMapper(), 0)) {
      var serde = new AvroSerde<>(CaseChange.class, new HttpSchemaRegistryClient(registry.url()));
      CaseChange example = (CaseChange) ExampleRecords.byTopic().get(Topics.CASE_CHANGES);
      List<CaseChange> changes = List.of(example,
          CaseChange.newBuilder(example).setEventId("e5").setVersion(5).setChangeType("CASE_RESOLVED")
              .setCurrent(io.casefeed.schema.CaseDetails.newBuilder(example.getCurrent()).setStatus("resolved").build()).build());
      try (var producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers(),
          ProducerConfig.TRANSACTIONAL_ID_CONFIG, KafkaFixture.unique("py-tx")), new StringSerializer(), serde.serializer())) {
        producer.initTransactions();
        producer.beginTransaction();
        changes.forEach(c -> producer.send(new ProducerRecord<>(topic, ExampleRecords.CASE_KEY, c)));
        producer.commitTransaction();
      }

      Process python = new ProcessBuilder("/usr/bin/python3", Path.of("../docs/examples/consume_changes.py").toAbsolutePath().toString(),
          KafkaFixture.bootstrapServers(), registry.url(), topic, "2").redirectErrorStream(true).start();
      List<String> lines = new ArrayList<>();
      try (var reader = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
        reader.lines().forEach(lines::add);
      }
      assertThat(python.waitFor(150, TimeUnit.SECONDS)).isTrue();
      assertThat(python.exitValue()).as("output: %s", lines).isZero();
      assertThat(lines).containsExactly(
          "2026-11-26T08:15:30.250000+00:00 123456789012 #174839201 STATUS_CHANGED v4 pending-customer-action [high amazon-elastic-compute-cloud-linux] backfill=False",
          "2026-11-26T08:15:30.250000+00:00 123456789012 #174839201 CASE_RESOLVED v5 resolved [high amazon-elastic-compute-cloud-linux] backfill=False");
    }
  }
}
