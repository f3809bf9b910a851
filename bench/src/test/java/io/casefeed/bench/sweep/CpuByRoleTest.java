package io.casefeed.bench.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CpuByRoleTest {

  /** Where the busy loop's result goes, so that the JIT cannot drop the loop. */
  private static volatile long blackhole;

  @Test
  void threadsAreSortedByWhomTheyWorkFor() {
    assertThat(CpuByRole.role("collector-poll-17")).isEqualTo(CpuByRole.COLLECTOR);
    assertThat(CpuByRole.role("kafka-producer-network-thread | bench")).isEqualTo(CpuByRole.COLLECTOR);
    assertThat(CpuByRole.role("localcloud-aws-http-3")).isEqualTo(CpuByRole.STAND_IN);
    assertThat(CpuByRole.role("data-plane-kafka-request-handler-0")).isEqualTo(CpuByRole.BROKER);
    assertThat(CpuByRole.role("kafka-1-raft-io-thread")).isEqualTo(CpuByRole.BROKER);
    assertThat(CpuByRole.role("main")).isNull();
  }

  @Test
  void cpuSpentByACollectorThreadIsCountedAsTheCollectors() throws InterruptedException {
    CpuByRole cpu = CpuByRole.start();
    CountDownLatch spun = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread busy = new Thread(() -> {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long x = 0;
      while (threads.getCurrentThreadCpuTime() < 100_000_000L) {
        x += x >>> 3 ^ System.identityHashCode(threads);
      }
      blackhole = x;
      spun.countDown();
      try {
        // Stays alive until read, as the benchmark's poll threads do: an ended thread's time is not attributable.
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "collector-poll-test");
    busy.start();
    assertThat(spun.await(60, TimeUnit.SECONDS)).isTrue();
    Map<String, Double> byRole = cpu.since();
    release.countDown();
    busy.join();

    assertThat(byRole).containsKeys(CpuByRole.COLLECTOR, CpuByRole.STAND_IN, CpuByRole.BROKER, CpuByRole.JVM_AND_OTHER);
    assertThat(byRole.get(CpuByRole.COLLECTOR)).isGreaterThanOrEqualTo(0.1);
    assertThat(byRole.values()).allSatisfy(seconds -> assertThat(seconds).isGreaterThanOrEqualTo(0.0));
  }
}
