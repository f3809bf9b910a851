package io.casefeed.bench.sweep;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU seconds this JVM spent between two moments, split by whom the threads work for. The sweep
 * benchmark runs the collector, the AWS stand-in and a Kafka broker in one JVM on the same cores,
 * so its wall time alone cannot say which of them got slower: this can.
 */
final class CpuByRole {

  static final String COLLECTOR = "collector";
  static final String STAND_IN = "stand-in";
  static final String BROKER = "broker";
  /** Threads the JVM runs for itself (JIT compilers, GC) and any this class does not recognise. */
  static final String JVM_AND_OTHER = "jvm+other";

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final OperatingSystemMXBean PROCESS =
      ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);

  private final Map<Long, Long> threadNanosAtStart;
  private final long processNanosAtStart;

  private CpuByRole(Map<Long, Long> threadNanosAtStart, long processNanosAtStart) {
    this.threadNanosAtStart = threadNanosAtStart;
    this.processNanosAtStart = processNanosAtStart;
  }

  static CpuByRole start() {
    Map<Long, Long> nanos = new HashMap<>();
    for (long id : THREADS.getAllThreadIds()) {
      long cpu = THREADS.getThreadCpuTime(id);
      if (cpu >= 0) {
        nanos.put(id, cpu);
      }
    }
    return new CpuByRole(nanos, PROCESS.getProcessCpuTime());
  }

  /**
   * Seconds by role since {@link #start()}, of the threads alive now: call it before the threads
   * being measured end (a thread that ended in between is counted under {@link #JVM_AND_OTHER}).
   */
  Map<String, Double> since() {
    Map<String, Long> nanos = new LinkedHashMap<>();
    nanos.put(COLLECTOR, 0L);
    nanos.put(STAND_IN, 0L);
    nanos.put(BROKER, 0L);
    long threads = 0;
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = THREADS.getThreadCpuTime(info.getThreadId());
      if (cpu < 0) {
        continue;
      }
      long spent = cpu - threadNanosAtStart.getOrDefault(info.getThreadId(), 0L);
      String role = role(info.getThreadName());
      if (role != null) {
        nanos.merge(role, spent, Long::sum);
        threads += spent;
      }
    }
    long process = PROCESS.getProcessCpuTime() - processNanosAtStart;
    nanos.put(JVM_AND_OTHER, Math.max(0, process - threads));
    Map<String, Double> seconds = new LinkedHashMap<>();
    nanos.forEach((role, n) -> seconds.put(role, n / 1e9));
    return seconds;
  }

  /** The role of a thread by its name; null = not one of the three (counted with the JVM's own). */
  static String role(String threadName) {
    // The collector's poll pool, and its producer (client id "bench", see the benchmark's collector.id).
    if (threadName.startsWith("collector-") || threadName.equals("kafka-producer-network-thread | bench")) {
      return COLLECTOR;
    }
    if (threadName.startsWith("localcloud")) {
      return STAND_IN;
    }
    if (threadName.startsWith("data-plane-") || threadName.startsWith("kafka-") || threadName.startsWith("quorum-")
        || threadName.startsWith("broker-") || threadName.startsWith("controller-") || threadName.startsWith("raft-")) {
      return BROKER;
    }
    return null;
  }
}
