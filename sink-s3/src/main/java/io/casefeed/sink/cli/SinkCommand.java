package io.casefeed.sink.cli;

import io.casefeed.common.component.Component;
import io.casefeed.common.component.ComponentContext;
import io.casefeed.common.component.ComponentRunner;
import io.casefeed.common.component.ExitCodes;
import io.casefeed.common.ops.OpsServer;
import io.casefeed.sink.S3Sink;
import io.casefeed.sink.config.SinkConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
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
      return ExitCodes.USAGE;
    }
    Clock clock = Clock.systemUTC();
    OpsServer ops = sinkConfig.opsServer();
    S3Sink sink = S3Sink.create(sinkConfig, clock, ops == null ? new SimpleMeterRegistry() : ops.registry());
    ComponentRunner.Builder runner = ComponentRunner.builder("sink").clock(clock).add(new SinkComponent(sink));
    if (ops != null) {
      runner.readinessTo(ops::readiness).add(Component.of("ops", context -> {
        ops.start();
        System.out.println("casefeed sink: health and metrics at " + ops.url() + "/health, " + ops.url() + "/metrics");
      }, ops));
    }
    int exit = runner.build().run();
    if (exit == ExitCodes.FAILURE || exit == ExitCodes.UNAVAILABLE) {
      System.err.println("sink error: " + (sink.failure().isDone() ? sink.failure().join().getMessage() : "see the log"));
    }
    return exit;
  }

  /** The sink under the runner: a failure of its loop stops the process, with exit 1. */
  private record SinkComponent(S3Sink sink) implements Component {
    @Override
    public String name() {
      return "sink";
    }

    @Override
    public void start(ComponentContext context) {
      sink.start();
      sink.failure().thenAccept(context::fail);
      context.readiness("sink-schema-registry", sink::registryHealthy);
    }

    @Override
    public boolean ready() {
      return !sink.failure().isDone();
    }

    @Override
    public void close() {
      sink.close();
    }
  }
}
