package io.casefeed.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.SweepRecord;
import io.casefeed.schemas.examples.ExampleRecords;
import io.casefeed.schemas.registry.InMemorySchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSchemas;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.schemas.serde.GenericAvroDecoder;
import io.casefeed.schemas.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

  final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void everyExampleRecordRoundTripsInTheWireFormat() {
    ExampleRecords.byTopic().forEach((topic, record) -> {
      AvroSerde serde = new AvroSerde(record.getClass(), registry);
      byte[] bytes = serde.serialize(topic.name(), record);

      assertThat(bytes[0]).isEqualTo(WireFormat.MAGIC_BYTE);
      int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
      assertThat(registry.lookup(topic.valueSubject(), AvroSchemas.portableSchemaOf(record.getClass()))).isEqualTo(id);
      assertThat(serde.deserialize(topic.name(), bytes)).isEqualTo(record);
    });
  }

  @Test
  void theBytesAreExactlyMagicIdAndPlainAvroBinary() throws Exception {
    SpecificRecord sweep = ExampleRecords.byTopic().get(Topics.SWEEPS);
    byte[] framed = new AvroSerde<>(SweepRecord.class, registry).serialize("casefeed.sweeps", (SweepRecord) sweep);

    // What any Avro implementation writes for the same datum, after Confluent's 5-byte header.
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(0);
    expected.write(ByteBuffer.allocate(4).putInt(WireFormat.schemaId(framed)).array());
    var encoder = EncoderFactory.get().binaryEncoder(expected, null);
    new org.apache.avro.specific.SpecificDatumWriter<>(SweepRecord.getClassSchema()).write((SweepRecord) sweep, encoder);
    encoder.flush();
    assertThat(framed).isEqualTo(expected.toByteArray());
  }

  @Test
  void theRegisteredSchemaIsTheAvscAsWrittenWithoutJavaOnlyProperties() throws Exception {
    Schema registered = AvroSchemas.portableSchemaOf(CaseObservation.class);

    assertThat(registered.toString()).doesNotContain("avro.java.string");
    // Parsing the .avsc files gives the same schema (Avro equality covers names, fields, types, defaults).
    Schema.Parser parser = new Schema.Parser();
    for (String name : new String[] {"Communication", "CaseDetails", "CaseObservation"}) {
      parser.parse(Files.readString(Path.of("src/main/avro", name + ".avsc")));
    }
    assertThat(registered).isEqualTo(parser.getTypes().get("io.casefeed.schema.CaseObservation"));
  }

  @Test
  void aRecordWrittenWithAnOlderSchemaIsReadWithDefaultsForNewFields() throws Exception {
    // A producer on an older contract: SweepRecord without collectorId and firstReading.
    Schema older = new Schema.Parser().parse("""
        {"type":"record","name":"SweepRecord","namespace":"io.casefeed.schema","fields":[
          {"name":"accountId","type":"string"},{"name":"pollId","type":"string"},{"name":"pollKind","type":"string"},
          {"name":"outcome","type":"string"},{"name":"reason","type":["null","string"],"default":null},
          {"name":"pages","type":"int","default":0},{"name":"apiCalls","type":"int","default":0},
          {"name":"cases","type":"int","default":0},
          {"name":"startedAt","type":{"type":"long","logicalType":"timestamp-millis"}},
          {"name":"finishedAt","type":{"type":"long","logicalType":"timestamp-millis"}},
          {"name":"durationMs","type":"long"}]}""");
    int olderId = registry.register("casefeed.sweeps-value", older);
    GenericRecord datum = new GenericData.Record(older);
    datum.put("accountId", "210987654321");
    datum.put("pollId", "p1");
    datum.put("pollKind", "sweep");
    datum.put("outcome", "no-support-plan");
    datum.put("pages", 0);
    datum.put("apiCalls", 1);
    datum.put("cases", 0);
    datum.put("startedAt", 1_000L);
    datum.put("finishedAt", 2_000L);
    datum.put("durationMs", 1_000L);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(olderId).array());
    var encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(older).write(datum, encoder);
    encoder.flush();

    SweepRecord read = new AvroSerde<>(SweepRecord.class, registry).deserialize("casefeed.sweeps", out.toByteArray());

    assertThat(read.getAccountId()).isEqualTo("210987654321");
    assertThat(read.getOutcome()).isEqualTo("no-support-plan");
    assertThat(read.getCollectorId()).isNull();
    assertThat(read.getFirstReading()).isFalse();
  }

  @Test
  void undecodableBytesFailWithAClearSerializationException() {
    AvroSerde<SweepRecord> serde = new AvroSerde<>(SweepRecord.class, registry);

    assertThatThrownBy(() -> serde.deserialize("t", "plain text".getBytes()))
        .isInstanceOf(SerializationException.class).hasMessageContaining("magic byte");
    assertThatThrownBy(() -> serde.deserialize("t", new byte[] {0, 0, 0}))
        .isInstanceOf(SerializationException.class).hasMessageContaining("need at least 5");
    assertThatThrownBy(() -> serde.deserialize("t", new byte[] {0, 0, 0, 0, 99, 1, 2}))
        .isInstanceOf(SerializationException.class).hasMessageContaining("unknown schema id 99");
  }

  @Test
  void nullIsATombstoneBothWays() {
    AvroSerde<SweepRecord> serde = new AvroSerde<>(SweepRecord.class, registry);
    assertThat(serde.serialize("t", null)).isNull();
    assertThat(serde.deserialize("t", null)).isNull();
  }

  @Test
  void theGenericDecoderReadsAnyTopicWithItsWriterSchema() {
    SpecificRecord change = ExampleRecords.byTopic().get(Topics.CASE_CHANGES);
    @SuppressWarnings({"unchecked", "rawtypes"})
    byte[] bytes = new AvroSerde(change.getClass(), registry).serialize(Topics.CASE_CHANGES.name(), change);

    GenericRecord decoded = new GenericAvroDecoder(registry).decode(bytes);

    assertThat(decoded.get("changeType").toString()).isEqualTo("STATUS_CHANGED");
    assertThat(decoded.getSchema().getFullName()).isEqualTo("io.casefeed.schema.CaseChange");
  }
}
