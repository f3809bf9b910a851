package io.casefeed.localcloud.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParseException;

/**
 * Subjects, their versions and schemas under global ids (one id per distinct schema, shared by
 * subjects, as Confluent's registry does), with BACKWARD compatibility checked by Avro's own
 * checker, persisted to {@code registry.json}.
 */
public final class SchemaStore {

  /** One version of a subject. */
  public record Version(String subject, int version, int id, String schema) {
  }

  private record Persisted(List<String> schemas, Map<String, List<Integer>> subjects) {
  }

  private final Path file;
  private final ObjectMapper json;
  private final List<String> schemasById = new ArrayList<>();
  private final Map<String, Integer> idsBySchema = new LinkedHashMap<>();
  private final Map<String, List<Integer>> subjects = new TreeMap<>();

  public SchemaStore(Path dataDir, ObjectMapper json) {
    this.file = dataDir.resolve("registry.json");
    this.json = json;
    if (Files.exists(file)) {
      try {
        Persisted saved = json.readValue(file.toFile(), Persisted.class);
        saved.schemas().forEach(schema -> {
          schemasById.add(schema);
          idsBySchema.put(schema, schemasById.size());
        });
        saved.subjects().forEach((subject, ids) -> subjects.put(subject, new ArrayList<>(ids)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the schema registry's store " + file, e);
      }
    }
  }

  /** Registers (idempotently) and returns the global id; 409 when not BACKWARD compatible with the latest. */
  public synchronized int register(String subject, String schemaText) {
    Schema schema = parse(schemaText);
    String normalised = schema.toString();
    List<Integer> versions = subjects.get(subject);
    if (versions != null) {
      for (int id : versions) {
        if (schemasById.get(id - 1).equals(normalised)) {
          return id;
        }
      }
      if (!compatibleWithLatest(subject, schema)) {
        throw new RegistryException(409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
            + subject + "\"; BACKWARD compatibility is required");
      }
    }
    Integer id = idsBySchema.get(normalised);
    if (id == null) {
      schemasById.add(normalised);
      id = schemasById.size();
      idsBySchema.put(normalised, id);
    }
    subjects.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
    save();
    return id;
  }

  /** The version of {@code subject} holding this schema; 40401 or 40403 when absent. */
  public synchronized Version lookup(String subject, String schemaText) {
    List<Integer> versions = subjects.get(subject);
    if (versions == null) {
      throw RegistryException.subjectNotFound(subject);
    }
    String normalised = parse(schemaText).toString();
    for (int i = 0; i < versions.size(); i++) {
      if (schemasById.get(versions.get(i) - 1).equals(normalised)) {
        return new Version(subject, i + 1, versions.get(i), normalised);
      }
    }
    throw new RegistryException(404, 40403, "Schema not found");
  }

  public synchronized String schema(int id) {
    if (id < 1 || id > schemasById.size()) {
      throw new RegistryException(404, 40403, "Schema " + id + " not found");
    }
    return schemasById.get(id - 1);
  }

  public synchronized List<String> subjects() {
    return List.copyOf(subjects.keySet());
  }

  public synchronized List<Integer> versions(String subject) {
    List<Integer> versions = subjects.get(subject);
    if (versions == null) {
      throw RegistryException.subjectNotFound(subject);
    }
    List<Integer> numbers = new ArrayList<>();
    for (int i = 1; i <= versions.size(); i++) {
      numbers.add(i);
    }
    return numbers;
  }

  /** {@code version} is a number or "latest". */
  public synchronized Version version(String subject, String version) {
    List<Integer> versions = subjects.get(subject);
    if (versions == null) {
      throw RegistryException.subjectNotFound(subject);
    }
    int number;
    if ("latest".equals(version) || "-1".equals(version)) {
      number = versions.size();
    } else {
      try {
        number = Integer.parseInt(version);
      } catch (NumberFormatException e) {
        throw new RegistryException(422, 42202, "The specified version '" + version + "' is not a valid version id.");
      }
    }
    if (number < 1 || number > versions.size()) {
      throw new RegistryException(404, 40402, "Version " + version + " not found.");
    }
    int id = versions.get(number - 1);
    return new Version(subject, number, id, schemasById.get(id - 1));
  }

  /** Whether the schema could be registered next under the subject (true for a new subject). */
  public synchronized boolean compatible(String subject, String version, String schemaText) {
    Schema candidate = parse(schemaText);
    if (!subjects.containsKey(subject)) {
      return true;
    }
    Schema existing = new Schema.Parser().parse(version(subject, version).schema());
    return SchemaCompatibility.checkReaderWriterCompatibility(candidate, existing).getType()
        == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
  }

  private boolean compatibleWithLatest(String subject, Schema candidate) {
    Schema latest = new Schema.Parser().parse(version(subject, "latest").schema());
    return SchemaCompatibility.checkReaderWriterCompatibility(candidate, latest).getType()
        == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
  }

  private static Schema parse(String schemaText) {
    if (schemaText == null) {
      throw new RegistryException(422, 42201, "Invalid schema: no schema given");
    }
    try {
      return new Schema.Parser().parse(schemaText);
    } catch (SchemaParseException e) {
      throw new RegistryException(422, 42201, "Invalid schema: " + e.getMessage());
    }
  }

  private void save() {
    try {
      Path temporary = file.resolveSibling("registry.json.tmp");
      json.writeValue(temporary.toFile(), new Persisted(schemasById, subjects));
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the schema registry's store " + file, e);
    }
  }
}
