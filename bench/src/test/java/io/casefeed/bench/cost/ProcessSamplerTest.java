package io.casefeed.bench.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.bench.process.ComponentProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sampler reads a real child JVM (the benchmark's baseline) through /proc and jcmd, as the benchmark does. */
class ProcessSamplerTest {

  @Test
  void readsRssCpuAndLiveHeapOfAnotherJvm(@TempDir Path dir) {
    ComponentProcess idle = new ComponentProcess("idle", System.getProperty("java.class.path"),
        List.of("-XX:MaxRAM=512m", "-XX:MaxRAMPercentage=50", "-XX:+UseSerialGC"), IdleJvm.class.getName(), List.of(), dir);
    try (idle) {
      idle.start();
      idle.awaitOutputLine("idle: ready", Duration.ofSeconds(60));
      ProcessSampler sampler = new ProcessSampler();
      long pid = idle.pid();

      long rss = sampler.rssBytes(pid).orElseThrow();
      long cpu = sampler.cpuMillis(pid).orElseThrow();
      long live = sampler.liveHeapBytes(pid).orElseThrow();

      // A started JVM holds at least some MB resident and has used CPU to start; its live heap after a full GC
      // is a little of the 256 MB it may take, and less than what is resident.
      assertThat(rss).isGreaterThan(8L << 20);
      assertThat(cpu).isPositive();
      assertThat(live).isPositive().isLessThan(256L << 20).isLessThan(rss);
      assertThat(sampler.cpuMillis(pid).orElseThrow()).as("CPU time never goes back").isGreaterThanOrEqualTo(cpu);
    }
    assertThat(new ProcessSampler().rssBytes(Long.MAX_VALUE)).as("no such process").isEmpty();
  }
}
