package io.casefeed.sink.testing;

import io.casefeed.sink.cli.SinkCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** {@code casefeed sink} in a JVM of its own, so that a test can SIGKILL it. */
public final class SinkProcess {

  private SinkProcess() {}

  public static Process start(Map<String, String> settings, Path dir, String name) {
    try {
      Path config = dir.resolve(name + ".properties");
      Properties properties = new Properties();
      properties.putAll(settings);
      try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
        properties.store(out, "sink under test");
      }
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      return new ProcessBuilder(List.of(java, "-Xmx384m", "-Duser.timezone=UTC", "-cp", System.getProperty("java.class.path"),
          SinkCommand.class.getName(), "--config", config.toString()))
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve(name + ".log").toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
