package io.casefeed.schemas.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's schema-registry framing: byte 0 is the magic byte 0, bytes 1-4 the big-endian schema id,
 * then the Avro binary encoding of the value.
 */
public final class WireFormat {

  public static final byte MAGIC_BYTE = 0;
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** The schema id of a framed value; throws {@link SerializationException} when it is not framed. */
  public static int schemaId(byte[] framed) {
    if (framed == null || framed.length < HEADER_SIZE) {
      throw new SerializationException(
          "not schema-registry framed: " + (framed == null ? "null" : framed.length + " bytes") + ", need at least 5");
    }
    if (framed[0] != MAGIC_BYTE) {
      throw new SerializationException("unknown magic byte " + framed[0] + " (expected 0: schema-registry framing)");
    }
    return ByteBuffer.wrap(framed, 1, 4).getInt();
  }

  static void writeHeader(ByteBuffer buffer, int schemaId) {
    buffer.put(MAGIC_BYTE).putInt(schemaId);
  }
}
