package io.casefeed.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.schemas.evolution.SchemaEvolutionGuard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaEvolutionGuardTest {

  static final Path SCHEMAS = Path.of("src/main/avro");
  static final Path RELEASED = Path.of("src/test/resources/released");

  @TempDir Path work;

  @Test
  void everyTopicSchemaIsBackwardCompatibleWithItsReleasedCopy() {
    assertThat(SchemaEvolutionGuard.check(SCHEMAS, RELEASED)).isEmpty();
  }

  @Test
  void aSchemaWithoutAReleasedCopyIsCaught() throws IOException {
    Path current = copyOf(SCHEMAS, "current");
    Files.writeString(current.resolve("Brand.avsc"), """
        {"type":"record","name":"Brand","namespace":"io.casefeed.schema","fields":[{"name":"x","type":"string"}]}
        """);

    List<String> problems = SchemaEvolutionGuard.check(current, RELEASED);

    assertThat(problems).singleElement().asString().startsWith("Brand.avsc: no released copy");
  }

  @Test
  void aNewFieldWithoutADefaultIsCaughtNamingTheField() throws IOException {
    Path current = copyOf(SCHEMAS, "current");
    Path sweep = current.resolve("SweepRecord.avsc");
    Files.writeString(sweep, Files.readString(sweep).replace(
        "{\"name\": \"pages\", \"type\": \"int\", \"default\": 0},",
        "{\"name\": \"pages\", \"type\": \"int\", \"default\": 0}, {\"name\": \"region\", \"type\": \"string\"},"));

    List<String> problems = SchemaEvolutionGuard.check(current, RELEASED);

    assertThat(problems).singleElement().asString()
        .startsWith("SweepRecord.avsc: cannot read records written with the released schema")
        .contains("region");
  }

  @Test
  void aChangedFieldTypeIsCaught() throws IOException {
    Path current = copyOf(SCHEMAS, "current");
    Path sweep = current.resolve("SweepRecord.avsc");
    Files.writeString(sweep, Files.readString(sweep).replace(
        "{\"name\": \"durationMs\", \"type\": \"long\"}", "{\"name\": \"durationMs\", \"type\": \"int\"}"));

    assertThat(SchemaEvolutionGuard.check(current, RELEASED)).singleElement().asString()
        .contains("SweepRecord.avsc").contains("TYPE_MISMATCH").contains("durationMs");
  }

  @Test
  void aNewOptionalFieldWithADefaultIsAccepted() throws IOException {
    Path current = copyOf(SCHEMAS, "current");
    Path sweep = current.resolve("SweepRecord.avsc");
    Files.writeString(sweep, Files.readString(sweep).replace(
        "{\"name\": \"pages\", \"type\": \"int\", \"default\": 0},",
        "{\"name\": \"pages\", \"type\": \"int\", \"default\": 0}, {\"name\": \"region\", \"type\": [\"null\", \"string\"], \"default\": null},"));

    assertThat(SchemaEvolutionGuard.check(current, RELEASED)).isEmpty();
  }

  private Path copyOf(Path dir, String name) throws IOException {
    Path target = Files.createDirectories(work.resolve(name));
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.copy(file, target.resolve(file.getFileName()));
      }
    }
    return target;
  }
}
