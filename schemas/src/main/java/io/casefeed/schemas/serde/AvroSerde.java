package io.casefeed.schemas.serde;

import io.casefeed.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde for a generated Avro class in the schema-registry wire format, byte for byte what
 * Confluent's KafkaAvroSerializer writes for the same schema id: subjects follow TopicNameStrategy
 * ({@code <topic>-value}, {@code <topic>-key}) and the schema registered is the .avsc as written.
 * A record written with an older or newer compatible schema is resolved into this class's schema.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

  /**
   * Maps timestamp-millis to Instant at every depth, and reads arrays as plain lists: Avro's own
   * array type compares its elements without logical-type conversions, so two equal records with
   * Instants inside an array would otherwise fail {@code equals}.
   */
  private static final SpecificData MODEL = new SpecificData() {
    @Override
    public Object newArray(Object old, int size, Schema schema) {
      if (old instanceof ArrayList<?> list) {
        list.clear();
        return list;
      }
      return new ArrayList<>(size);
    }
  };

  static {
    MODEL.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
  }

  private final Class<T> type;
  private final SchemaRegistryClient registry;
  private final boolean autoRegister;
  private final boolean isKey;
  private final Schema portableSchema;
  private final Schema readerSchema;
  private final Map<String, Integer> idsByTopic = new ConcurrentHashMap<>();
  private final Map<Integer, DatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();
  private final SpecificDatumWriter<T> writer;

  public AvroSerde(Class<T> type, SchemaRegistryClient registry) {
    this(type, registry, true, false);
  }

  /**
   * @param autoRegister register the schema on first write; when false (production with a managed
   *     registry), the schema must already be registered and is only looked up
   */
  public AvroSerde(Class<T> type, SchemaRegistryClient registry, boolean autoRegister, boolean isKey) {
    this.type = type;
    this.registry = registry;
    this.autoRegister = autoRegister;
    this.isKey = isKey;
    this.portableSchema = AvroSchemas.portableSchemaOf(type);
    this.readerSchema = SpecificData.get().getSchema(type);
    this.writer = new SpecificDatumWriter<>(readerSchema, MODEL);
  }

  public Class<T> type() {
    return type;
  }

  public String subject(String topic) {
    return topic + (isKey ? "-key" : "-value");
  }

  /**
   * The id this serde writes to {@code topic} under, registered or looked up once and then kept: a
   * writer can ask for it at start, while the registry's absence costs nothing but waiting.
   */
  public int schemaId(String topic) {
    return idsByTopic.computeIfAbsent(topic, t -> autoRegister
        ? registry.register(subject(t), portableSchema)
        : registry.lookup(subject(t), portableSchema));
  }

  public byte[] serialize(String topic, T value) {
    if (value == null) {
      return null;
    }
    int id = schemaId(topic);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    ByteBuffer header = ByteBuffer.allocate(WireFormat.HEADER_SIZE);
    WireFormat.writeHeader(header, id);
    out.writeBytes(header.array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(value, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot write " + type.getSimpleName() + " to " + topic + ": " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    int id = WireFormat.schemaId(data);
    DatumReader<T> reader = readersByWriterId.computeIfAbsent(id, this::readerFor);
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(
        data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null);
    try {
      return reader.read(null, decoder);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot read " + type.getSimpleName() + " (schema id " + id + ") from " + topic + ": " + e.getMessage(), e);
    }
  }

  private DatumReader<T> readerFor(int writerSchemaId) {
    Schema writerSchema;
    try {
      writerSchema = registry.schemaById(writerSchemaId);
    } catch (RuntimeException e) {
      throw new SerializationException("unknown schema id " + writerSchemaId + ": " + e.getMessage(), e);
    }
    return new SpecificDatumReader<>(writerSchema, readerSchema, MODEL);
  }

  @Override
  public Serializer<T> serializer() {
    return this::serialize;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this::deserialize;
  }
}
