package io.casefeed.bench.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.TimeUnit;

/**
 * One pipeline component (or the broker) in a JVM of its own, started from the given class path, as the
 * e2e fault suite and the cost benchmark run them. Every incarnation appends its stdout and stderr to
 * {@code <name>.out} / {@code <name>.err}.
 */
public final class ComponentProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ComponentProcess.class);

  private final String name;
  private final String classPath;
  private final List<String> jvmOptions;
  private final String mainClass;
  private final List<String> arguments;
  private final Path logDir;
  private Process process;
  private int incarnations;
  private int unexpectedExits;
  /** Where this incarnation's output starts in {@link #stdout()}, so an older incarnation's lines never count. */
  private long stdoutOffset;
  private final List<Instant> kills = new ArrayList<>();

  /** The fault suite's JVM: the given heap, C1 only and the serial collector, to start fast and stay small. */
  public ComponentProcess(String name, String classPath, String heap, String mainClass, List<String> arguments, Path logDir) {
    this(name, classPath, List.of(heap, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), mainClass, arguments, logDir);
  }

  /** A JVM with the given options (heap, collector, compiler), e.g. a container's. */
  public ComponentProcess(String name, String classPath, List<String> jvmOptions, String mainClass, List<String> arguments, Path logDir) {
    this.name = name;
    this.classPath = classPath;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.mainClass = mainClass;
    this.arguments = List.copyOf(arguments);
    this.logDir = logDir;
  }

  /** When each SIGKILL was sent to a live incarnation. */
  public synchronized List<Instant> kills() {
    return List.copyOf(kills);
  }

  public Path stdout() {
    return logDir.resolve(name + ".out");
  }

  public Path stderr() {
    return logDir.resolve(name + ".err");
  }

  public synchronized void start() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-Duser.timezone=UTC", "-Dfile.encoding=UTF-8", "-cp", classPath, mainClass));
    command.addAll(arguments);
    try {
      stdoutOffset = Files.exists(stdout()) ? Files.size(stdout()) : 0;
      Files.writeString(stderr(), "=== incarnation " + (incarnations + 1) + " ===\n", StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      process = new ProcessBuilder(command)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout().toFile()))
          .redirectError(ProcessBuilder.Redirect.appendTo(stderr().toFile()))
          .start();
      incarnations++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
  public synchronized void kill() {
    if (process != null) {
      if (process.isAlive()) {
        Instant now = Instant.now();
        kills.add(now);
        LOG.info("SIGKILL {} (pid {}) at {}", name, process.pid(), now);
      }
      process.destroyForcibly();
      waitFor(Duration.ofSeconds(30));
    }
  }

  /** SIGTERM: the component's shutdown hook closes it cleanly. */
  public synchronized void terminate() {
    if (process != null) {
      process.destroy();
      if (!waitFor(Duration.ofSeconds(30))) {
        kill();
      }
    }
  }

  /**
   * SIGKILL (or SIGTERM when {@code graceful}), down for {@code down}, then a new incarnation; the lock
   * keeps {@link #restartIfExited()} from counting the planned gap as a crash.
   */
  public synchronized void stopAndRestart(boolean graceful, Duration down, String readyLinePrefix) {
    if (graceful) {
      terminate();
    } else {
      kill();
    }
    try {
      Thread.sleep(down.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    start();
    if (readyLinePrefix != null) {
      awaitOutputLine(readyLinePrefix, Duration.ofSeconds(120));
    }
  }

  /**
   * Appends the live JVM's thread dump to {@code <name>.threads} (jcmd Thread.print), so a component
   * that is stuck rather than dead can be diagnosed after the run.
   */
  public synchronized void dumpThreads() {
    if (!isAlive()) {
      return;
    }
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve(name + ".threads").toFile()))
          .redirectErrorStream(true).start();
      dump.waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      appendNote("no thread dump: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The live incarnation's process id, or -1 when none runs. */
  public synchronized long pid() {
    return isAlive() ? process.pid() : -1;
  }

  public String name() {
    return name;
  }

  public boolean isAlive() {
    Process current = process;
    return current != null && current.isAlive();
  }

  /**
   * Starts the component again when it stopped by itself, as a service manager would, and counts it:
   * the suite reports such exits because the component gave up on a fault instead of riding it out.
   */
  public synchronized boolean restartIfExited() {
    if (process != null && !process.isAlive()) {
      unexpectedExits++;
      appendNote("exited by itself with code " + process.exitValue() + "; restarted");
      start();
      return true;
    }
    return false;
  }

  public int unexpectedExits() {
    return unexpectedExits;
  }

  /** Waits until stdout holds a line starting with {@code prefix}; returns the line. */
  public String awaitOutputLine(String prefix, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (Files.exists(stdout())) {
          byte[] all = Files.readAllBytes(stdout());
          String fresh = new String(all, (int) Math.min(stdoutOffset, all.length), (int) Math.max(0, all.length - stdoutOffset),
              StandardCharsets.UTF_8);
          for (String line : fresh.split("\\R")) {
            if (line.startsWith(prefix)) {
              return line;
            }
          }
        }
        if (!isAlive()) {
          throw new IllegalStateException(name + " exited before printing '" + prefix + "'; see " + stderr());
        }
        Thread.sleep(100);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException(name + " printed no '" + prefix + "' within " + timeout + "; see " + stderr());
  }

  private boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void appendNote(String note) {
    try {
      Files.writeString(stderr(), "=== harness: " + name + " " + note + " ===\n", StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() {
    terminate();
  }
}
