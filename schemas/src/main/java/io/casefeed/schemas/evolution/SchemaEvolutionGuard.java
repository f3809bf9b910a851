package io.casefeed.schemas.evolution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.AvroRuntimeException;

/**
 * Guards the topic contracts: every schema must have a released copy, and must be able to read
 * every record written with that copy (BACKWARD compatibility, as the registry checks it), so a
 * consumer upgraded first never meets a record it cannot read.
 */
public final class SchemaEvolutionGuard {

  private SchemaEvolutionGuard() {}

  /** A human-readable problem per schema file that breaks the rules; empty when all is well. */
  public static List<String> check(Path schemaDir, Path releasedDir) {
    List<String> problems = new ArrayList<>();
    // Parse all files into one parser each side: the schemas reference each other by name.
    List<Path> current = avscFiles(schemaDir);
    Schema.Parser currentParser = new Schema.Parser();
    Schema.Parser releasedParser = new Schema.Parser();
    List<Path> released = avscFiles(releasedDir);
    parseInDependencyOrder(released, releasedParser, problems, "released ");
    parseInDependencyOrder(current, currentParser, problems, "");
    for (Path file : current) {
      String fileName = file.getFileName().toString();
      Path releasedFile = releasedDir.resolve(fileName);
      if (!Files.exists(releasedFile)) {
        problems.add(fileName + ": no released copy in " + releasedDir
            + " (a new schema adds its copy there when it is released)");
        continue;
      }
      Schema now = currentParser.getTypes().get(fullName(file));
      Schema before = releasedParser.getTypes().get(fullName(releasedFile));
      if (now == null || before == null) {
        continue;
      }
      var result = SchemaCompatibility.checkReaderWriterCompatibility(now, before).getResult();
      if (result.getCompatibility() != SchemaCompatibilityType.COMPATIBLE) {
        for (Incompatibility incompatibility : result.getIncompatibilities()) {
          problems.add(fileName + ": cannot read records written with the released schema: "
              + incompatibility.getType() + " at " + incompatibility.getLocation()
              + fieldPath(now, incompatibility.getLocation()) + " ("
              + incompatibility.getMessage() + ")");
        }
      }
    }
    return problems;
  }

  private static void parseInDependencyOrder(List<Path> files, Schema.Parser parser, List<String> problems, String label) {
    List<Path> pending = new ArrayList<>(files);
    boolean progress = true;
    while (!pending.isEmpty() && progress) {
      progress = false;
      for (var it = pending.iterator(); it.hasNext(); ) {
        Path file = it.next();
        try {
          parser.parse(Files.readString(file));
          it.remove();
          progress = true;
        } catch (AvroRuntimeException e) {
          // Refers to a type not parsed yet: try again after the others.
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    for (Path file : pending) {
      problems.add(label + file.getFileName() + ": does not parse");
    }
  }

  /** Turns Avro's JSON-pointer location (/fields/11/type) into field names: " (field durationMs)". */
  static String fieldPath(Schema schema, String location) {
    try {
      var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(schema.toString());
      List<String> names = new ArrayList<>();
      String[] steps = location.split("/");
      for (int i = 1; i < steps.length && node != null; i++) {
        node = node.isArray() ? node.path(Integer.parseInt(steps[i])) : node.path(steps[i]);
        if (i > 1 && "fields".equals(steps[i - 1]) && node.has("name")) {
          names.add(node.path("name").asText());
        }
      }
      return names.isEmpty() ? "" : " (field " + String.join(".", names) + ")";
    } catch (IOException | NumberFormatException e) {
      return "";
    }
  }

  private static String fullName(Path file) {
    try {
      var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(file));
      return node.path("namespace").asText() + "." + node.path("name").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> avscFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
