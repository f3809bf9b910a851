package io.casefeed.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** Runs the built casefeed.jar in its own JVM, as a user would. */
final class Jar {

  private Jar() {}

  static Path path() {
    return Path.of(System.getProperty("casefeed.jar", "target/casefeed.jar")).toAbsolutePath();
  }

  static Process start(Path workDir, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", path().toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectError(workDir.resolve("stderr-" + System.nanoTime() + ".log").toFile()).start();
    startReader(process);
    return process;
  }

  private static final java.util.Map<Process, BlockingQueue<String>> LINES = new java.util.concurrent.ConcurrentHashMap<>();
  private static final java.util.Map<Process, Thread> READERS = new java.util.concurrent.ConcurrentHashMap<>();
  private static final java.util.Map<Process, List<String>> ALL_LINES = new java.util.concurrent.ConcurrentHashMap<>();

  /** Waits until the process's stdout is read to its end (the process ended and the pipe is drained). */
  static void awaitEndOfOutput(Process process) throws InterruptedException {
    READERS.get(process).join(TimeUnit.SECONDS.toMillis(30));
  }

  /** Every stdout line the process printed so far, whether or not a wait consumed it. */
  static List<String> printed(Process process) {
    List<String> lines = ALL_LINES.get(process);
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  private static void startReader(Process process) {
    BlockingQueue<String> queue = new ArrayBlockingQueue<>(10_000);
    LINES.put(process, queue);
    List<String> all = new ArrayList<>();
    ALL_LINES.put(process, all);
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          queue.offer(line);
          synchronized (all) {
            all.add(line);
          }
        }
      } catch (IOException ignored) {
        // The process ended.
      }
    }, "jar-stdout");
    reader.setDaemon(true);
    READERS.put(process, reader);
    reader.start();
  }

  /** Waits for a stdout line starting with {@code prefix} and returns the rest of it. */
  static String awaitLine(Process process, String prefix) throws InterruptedException {
    BlockingQueue<String> queue = LINES.get(process);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      String line = queue.poll(1, TimeUnit.SECONDS);
      if (line != null && line.startsWith(prefix)) {
        return line.substring(prefix.length()).trim();
      }
      if (line == null && !process.isAlive()) {
        // The last lines may still be in the pipe: read it to its end before giving up.
        READERS.get(process).join(TimeUnit.SECONDS.toMillis(5));
        for (String rest = queue.poll(); rest != null; rest = queue.poll()) {
          if (rest.startsWith(prefix)) {
            return rest.substring(prefix.length()).trim();
          }
        }
        throw new AssertionError("casefeed exited with " + process.exitValue() + " before printing '" + prefix + "'");
      }
    }
    throw new AssertionError("casefeed did not print '" + prefix + "' within 120 s");
  }
}
