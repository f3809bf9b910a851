package io.casefeed.bench.cost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one process costs right now, read from outside it: resident memory from
 * {@code /proc/<pid>/status}, CPU time from {@code /proc/<pid>/stat}, live heap from jcmd after a full GC.
 */
final class ProcessSampler {

  /** A heap line of GC.heap_info: serial ("def new generation", "tenured generation"), parallel or G1. */
  private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");
  private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

  private final long clockTicksPerSecond;
  private final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");

  ProcessSampler() {
    this.clockTicksPerSecond = clockTicks();
  }

  /** Resident set size in bytes. */
  OptionalLong rssBytes(long pid) {
    try {
      Matcher m = VM_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII));
      return m.find() ? OptionalLong.of(Long.parseLong(m.group(1)) * 1024) : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  /** User plus system CPU time in milliseconds since the process started. */
  OptionalLong cpuMillis(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
      // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return OptionalLong.of(ticks * 1000 / clockTicksPerSecond);
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** Heap in use right after a full GC (jcmd GC.run, then GC.heap_info): the live set. */
  OptionalLong liveHeapBytes(long pid) {
    if (run(Long.toString(pid), "GC.run") == null) {
      return OptionalLong.empty();
    }
    String info = run(Long.toString(pid), "GC.heap_info");
    if (info == null) {
      return OptionalLong.empty();
    }
    long used = 0;
    boolean found = false;
    for (String line : info.lines().toList()) {
      // Region and space detail lines are indented further and repeat the generations' figures.
      if (line.startsWith(" ") && !line.startsWith("  ")) {
        Matcher m = HEAP_USED.matcher(line);
        if (m.find()) {
          used += Long.parseLong(m.group(2)) * 1024;
          found = true;
        }
      }
    }
    return found ? OptionalLong.of(used) : OptionalLong.empty();
  }

  private String run(String... args) {
    try {
      String[] command = new String[args.length + 1];
      command[0] = jcmd.toString();
      System.arraycopy(args, 0, command, 1, args.length);
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        return null;
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** USER_HZ from getconf; 100 on every Linux this runs on when getconf is missing. */
  private static long clockTicks() {
    try {
      Process process = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
      process.waitFor(10, TimeUnit.SECONDS);
      return Long.parseLong(out);
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
