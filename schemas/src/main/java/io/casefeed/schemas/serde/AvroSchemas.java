package io.casefeed.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** The schemas as written in the .avsc files, without the Java-only properties the code generator adds. */
public final class AvroSchemas {

  /** Added by avro-maven-plugin with stringType=String; meaningless to any other consumer. */
  static final String JAVA_STRING_PROPERTY = "avro.java.string";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<Class<?>, Schema> PORTABLE = new ConcurrentHashMap<>();

  private AvroSchemas() {}

  /** The portable schema of a generated class: what casefeed registers and what other languages read. */
  public static Schema portableSchemaOf(Class<? extends SpecificRecord> type) {
    return PORTABLE.computeIfAbsent(type, t -> withoutJavaProperties(SpecificData.get().getSchema(t)));
  }

  public static Schema withoutJavaProperties(Schema schema) {
    try {
      JsonNode tree = JSON.readTree(schema.toString());
      strip(tree);
      return new Schema.Parser().parse(tree.toString());
    } catch (IOException e) {
      throw new IllegalStateException("cannot re-parse schema " + schema.getFullName(), e);
    }
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove(JAVA_STRING_PROPERTY);
      for (Iterator<JsonNode> it = object.elements(); it.hasNext(); ) {
        strip(it.next());
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(AvroSchemas::strip);
    }
  }
}
