package io.casefeed.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFolderTest {

  @TempDir
  Path tmp;

  @Test
  void deletesAFolderItPrepared() throws IOException {
    Path data = tmp.resolve("casefeed-data");
    DataFolder.prepare(data);
    Files.createDirectories(data.resolve("kafka/topic-0"));
    Files.writeString(data.resolve("kafka/topic-0/00000.log"), "x");

    DataFolder.delete(data);

    assertThat(data).doesNotExist();
  }

  @Test
  void refusesAFolderItDidNotMakeAndDeletesNothing() throws IOException {
    Path home = tmp.resolve("home");
    Files.createDirectories(home.resolve("Documents"));
    Files.writeString(home.resolve("notes.txt"), "precious");

    assertThatThrownBy(() -> DataFolder.delete(home))
        .isInstanceOf(DataFolder.RefusedFolderException.class)
        .hasMessageContaining("casefeed did not create it")
        .hasMessageContaining(DataFolder.MARKER);
    assertThat(home.resolve("notes.txt")).hasContent("precious");
    assertThat(home.resolve("Documents")).isDirectory();
  }

  @Test
  void refusesToUseAFolderHoldingOtherFiles() throws IOException {
    Path home = tmp.resolve("home");
    Files.createDirectories(home);
    Files.writeString(home.resolve("notes.txt"), "precious");

    assertThatThrownBy(() -> DataFolder.prepare(home))
        .isInstanceOf(DataFolder.RefusedFolderException.class)
        .hasMessageContaining("--data-dir");
    assertThat(home.resolve(DataFolder.MARKER)).doesNotExist();
  }

  @Test
  void acceptsTheFolderOfAnEarlierDemoWithoutMarker() throws IOException {
    Path data = tmp.resolve("old-demo");
    Files.createDirectories(data.resolve("kafka"));
    Files.createDirectories(data.resolve("local-cloud"));
    Files.createDirectories(data.resolve("streams"));

    DataFolder.prepare(data);
    assertThat(data.resolve(DataFolder.MARKER)).isRegularFile();
    DataFolder.delete(data);
    assertThat(data).doesNotExist();
  }

  @Test
  void aFileNamedLikeADemoFolderIsNotOurs() throws IOException {
    Path data = tmp.resolve("odd");
    Files.createDirectories(data);
    Files.writeString(data.resolve("kafka"), "a file, not the broker's folder");

    assertThatThrownBy(() -> DataFolder.delete(data)).isInstanceOf(DataFolder.RefusedFolderException.class);
    assertThat(data.resolve("kafka")).exists();
  }

  @Test
  void aMissingFolderIsFine() throws IOException {
    DataFolder.delete(tmp.resolve("never-made"));
    assertThat(tmp.resolve("never-made")).doesNotExist();
  }
}
