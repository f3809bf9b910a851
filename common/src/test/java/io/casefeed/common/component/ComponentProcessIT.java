package io.casefeed.common.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The runner in a JVM of its own: a real SIGTERM and a real uncaught Error, and the real exit status. */
@Timeout(120)
class ComponentProcessIT {

  /** A started process and every line it printed. */
  private record Started(Process process, List<String> lines, CountDownLatch running, Path log) {}

  private static Started start(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-cp", System.getProperty("java.class.path"), ComponentProcessMain.class.getName()));
    command.addAll(List.of(args));
    Path log = java.nio.file.Files.createTempFile("component-process", ".log");
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
    List<String> lines = new CopyOnWriteArrayList<>();
    CountDownLatch running = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
          if (line.equals("running")) {
            running.countDown();
          }
        }
      } catch (java.io.IOException e) {
        // the process ended
      }
    }, "process-output");
    reader.setDaemon(true);
    reader.start();
    return new Started(process, lines, running, log);
  }

  @Test
  void sigtermClosesInReverseOrderAndExits143() throws Exception {
    Started started = start();
    assertThat(started.running().await(60, TimeUnit.SECONDS)).as("started: %s", started.lines()).isTrue();
    // Process.destroy() would send SIGTERM too, but it closes our end of the pipes: the close lines would be lost.
    assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(started.process().pid())).start().waitFor()).isZero();
    assertThat(started.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(started.process().exitValue()).isEqualTo(ExitCodes.SIGTERM);
    waitForLine(started, "close first");
    // No "exit 143" line: the JVM ends when the shutdown hook returns, racing the main thread's last print.
    assertThat(started.lines()).as("stderr: %s", java.nio.file.Files.readString(started.log()))
        .startsWith("start first", "start second", "start third", "running", "close third", "close second", "close first");
  }

  @Test
  void anUncaughtErrorInAWorkerThreadStopsInOrderWithExit1() throws Exception {
    Started started = start("die-in-worker");
    assertThat(started.process().waitFor(60, TimeUnit.SECONDS)).as("a dead worker must not leave the JVM up").isTrue();
    assertThat(started.process().exitValue()).isEqualTo(ExitCodes.FAILURE);
    waitForLine(started, "exit 1");
    assertThat(started.lines()).as("stderr: %s", java.nio.file.Files.readString(started.log())).containsExactly("start first", "start second", "start third", "running",
        "close third", "close second", "close first", "exit 1");
  }

  /** The output reader may still be reading the last lines when waitFor returns. */
  private static void waitForLine(Started started, String line) throws InterruptedException {
    CountDownLatch never = new CountDownLatch(1);
    for (int i = 0; i < 200 && !started.lines().contains(line); i++) {
      never.await(25, TimeUnit.MILLISECONDS);
    }
  }
}
