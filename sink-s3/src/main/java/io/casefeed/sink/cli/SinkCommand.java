package io.casefeed.sink.cli;

import io.casefeed.sink.S3Sink;
import io.casefeed.sink.config.SinkConfig;
import io.casefeed.sink.store.StoreAccessException;
import io.casefeed.common.ops.OpsServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code casefeed sink --config FILE}: runs the S3 sink until SIGTERM or Ctrl-C. */
@Command(name = "sink", mixinStandardHelpOptions = true,
    description = "Writes casefeed.case-changes to S3 as Parquet (and CSV) exactly once, and the case_list snapshot from casefeed.cases.")
public final class SinkCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file; CASEFEED_<KEY> environment variables override it.")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides one setting (repeatable).")
  Map<String, String> overrides = new LinkedHashMap<>();

  public static void main(String[] args) {
    System.exit(new CommandLine(new SinkCommand()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    SinkConfig sinkConfig;
    try {
      sinkConfig = SinkConfig.load(config, System.getenv(), overrides);
    } catch (ConfigException e) {
      System.err.println("config error: " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    OpsServer ops = sinkConfig.opsServer();
    S3Sink sink = S3Sink.create(sinkConfig, Clock.systemUTC(), ops == null ? new SimpleMeterRegistry() : ops.registry());
    Thread hook = new Thread(() -> {
      sink.close();
      if (ops != null) {
        ops.close();
      }
      stopped.countDown();
    }, "sink-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      sink.start();
    } catch (StoreAccessException e) {
      System.err.println("sink error: " + e.getMessage());
      return 1;
    }
    if (ops != null) {
      ops.readiness("sink", () -> !sink.failure().isDone())
          .readiness("sink-schema-registry", sink::registryHealthy)
          .start();
      System.out.println("casefeed sink: health and metrics at " + ops.url() + "/health, " + ops.url() + "/metrics");
    }
    sink.failure().thenRun(stopped::countDown);
    stopped.await();
    if (sink.failure().isDone()) {
      System.err.println("sink error: " + sink.failure().join().getMessage());
      Runtime.getRuntime().removeShutdownHook(hook);
      sink.close();
      return 1;
    }
    return 0;
  }
}
