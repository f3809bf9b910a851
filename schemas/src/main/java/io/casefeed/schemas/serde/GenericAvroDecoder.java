package io.casefeed.schemas.serde;

import io.casefeed.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;

/** Decodes any framed value with its writer schema, for tools that show records of any topic. */
public final class GenericAvroDecoder {

  private final SchemaRegistryClient registry;

  public GenericAvroDecoder(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  public GenericRecord decode(byte[] framed) {
    int id = WireFormat.schemaId(framed);
    Schema schema = registry.schemaById(id);
    try {
      return new GenericDatumReader<GenericRecord>(schema).read(null, DecoderFactory.get().binaryDecoder(
          framed, WireFormat.HEADER_SIZE, framed.length - WireFormat.HEADER_SIZE, null));
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot decode value with schema id " + id + ": " + e.getMessage(), e);
    }
  }
}
