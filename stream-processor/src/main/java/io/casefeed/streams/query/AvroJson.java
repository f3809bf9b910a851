package io.casefeed.streams.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro records as JSON: {@link #toNode} for people (field names as in the .avsc, timestamps as
 * ISO-8601 UTC with Z), {@link #encode}/{@link #decode} for instances exchanging records exactly.
 */
public final class AvroJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AvroJson() {}

  public static ObjectNode toNode(SpecificRecord record) {
    ObjectNode node = NODES.objectNode();
    for (Schema.Field field : record.getSchema().getFields()) {
      node.set(field.name(), valueNode(record.get(field.pos())));
    }
    return node;
  }

  private static JsonNode valueNode(Object value) {
    if (value == null) {
      return NODES.nullNode();
    } else if (value instanceof SpecificRecord record) {
      return toNode(record);
    } else if (value instanceof List<?> list) {
      ArrayNode array = NODES.arrayNode();
      list.forEach(item -> array.add(valueNode(item)));
      return array;
    } else if (value instanceof Instant instant) {
      return NODES.textNode(instant.toString());
    } else if (value instanceof Long l) {
      return NODES.numberNode(l);
    } else if (value instanceof Integer i) {
      return NODES.numberNode(i);
    } else if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    return NODES.textNode(value.toString());
  }

  /** Avro's own JSON encoding, one line: lossless for {@link #decode}. */
  public static <T extends SpecificRecord> String encode(T record) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      JsonEncoder encoder = EncoderFactory.get().jsonEncoder(record.getSchema(), out);
      @SuppressWarnings("unchecked")
      SpecificDatumWriter<T> writer = new SpecificDatumWriter<>((Class<T>) record.getClass());
      writer.write(record, encoder);
      encoder.flush();
      return out.toString(StandardCharsets.UTF_8).replace("\n", "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T extends SpecificRecord> T decode(Class<T> type, String json) {
    try {
      Schema schema = SpecificData.get().getSchema(type);
      return new SpecificDatumReader<T>(type).read(null, DecoderFactory.get().jsonDecoder(schema, json));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
