package io.casefeed.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/** The repository files the deploy tests check; Maven runs tests in the module folder, deploy/. */
final class RepoFiles {

  static final Path ROOT = locateRoot();
  static final Path DEPLOY = ROOT.resolve("deploy");
  static final Path CLOUDFORMATION = DEPLOY.resolve("cloudformation");

  private RepoFiles() {}

  static Path file(String relativePath) {
    Path file = ROOT.resolve(relativePath);
    assertThat(file).as(relativePath).isRegularFile();
    return file;
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Properties properties(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }

  static List<Path> filesUnder(Path folder, String suffix) {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path locateRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !(Files.isRegularFile(dir.resolve("docker-compose.yml")) && Files.isDirectory(dir.resolve("deploy")))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no repository root (with docker-compose.yml and deploy/) above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
