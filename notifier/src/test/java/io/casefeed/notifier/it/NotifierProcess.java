package io.casefeed.notifier.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** {@code casefeed notifier} in its own JVM, as production runs it, so a test can SIGKILL it. */
final class NotifierProcess implements AutoCloseable {

  private final Process process;
  private final List<String> stderr = new CopyOnWriteArrayList<>();

  private NotifierProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          stderr.add(line);
        }
      } catch (IOException e) {
        stderr.add("stderr closed: " + e);
      }
    }, "notifier-child-stderr");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the notifier with {@code properties}; {@code pauseAt} like "INTENT_WRITTEN:2" or null. */
  static NotifierProcess start(Path dir, Map<String, String> properties, String pauseAt) {
    try {
      Path config = Files.createTempFile(dir, "notifier", ".properties");
      StringBuilder text = new StringBuilder();
      properties.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
      Files.writeString(config, text.toString());
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
          "-Duser.timezone=UTC", "-cp", System.getProperty("java.class.path")));
      if (pauseAt != null) {
        String[] parts = pauseAt.split(":");
        command.add("-Dcasefeed.notifier.pause-at=" + parts[0]);
        command.add("-Dcasefeed.notifier.pause-at.occurrence=" + (parts.length > 1 ? parts[1] : "1"));
      }
      command.addAll(List.of("io.casefeed.notifier.cli.NotifierCommand", "--config", config.toString()));
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      return new NotifierProcess(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The mail id it paused at, once it has announced the pause. */
  Optional<String> pausedMailId() {
    return stderr.stream().filter(l -> l.startsWith("casefeed-notifier paused at ")).findFirst()
        .map(l -> l.substring(l.indexOf(' ', "casefeed-notifier paused at ".length()) + 1));
  }

  boolean isAlive() {
    return process.isAlive();
  }

  int exitValue() {
    return process.exitValue();
  }

  String stderr() {
    return String.join("\n", stderr);
  }

  /** SIGKILL: no shutdown hook, no flush, as a crash or an OOM killer would. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the notifier process did not die");
    }
  }

  /** SIGTERM, as a supervisor stops it; returns the exit status. */
  int terminate() throws Exception {
    // Process.destroy() sends SIGTERM as well, but closes our end of the pipes first.
    if (new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor() != 0) {
      throw new IllegalStateException("kill -TERM failed");
    }
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the notifier process did not stop after SIGTERM");
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  static Duration startupAllowance() {
    return Duration.ofSeconds(90);
  }
}
