package io.casefeed.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/** A registry in memory, for unit tests and TopologyTestDriver; ids are global as in a real registry. */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

  private final List<Schema> schemas = new ArrayList<>();
  private final Map<String, Map<Schema, Integer>> subjects = new HashMap<>();

  @Override
  public synchronized int register(String subject, Schema schema) {
    Map<Schema, Integer> versions = subjects.computeIfAbsent(subject, s -> new HashMap<>());
    Integer existing = versions.get(schema);
    if (existing != null) {
      return existing;
    }
    int id = globalId(schema);
    versions.put(schema, id);
    return id;
  }

  @Override
  public synchronized int lookup(String subject, Schema schema) {
    Integer id = subjects.getOrDefault(subject, Map.of()).get(schema);
    if (id == null) {
      throw new SchemaRegistryException("Schema not found under subject " + subject, 404, 40403, null);
    }
    return id;
  }

  @Override
  public synchronized Schema schemaById(int id) {
    if (id < 1 || id > schemas.size()) {
      throw new SchemaRegistryException("Schema " + id + " not found", 404, 40403, null);
    }
    return schemas.get(id - 1);
  }

  private int globalId(Schema schema) {
    int index = schemas.indexOf(schema);
    if (index >= 0) {
      return index + 1;
    }
    schemas.add(schema);
    return schemas.size();
  }
}
