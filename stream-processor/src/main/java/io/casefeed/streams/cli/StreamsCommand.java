package io.casefeed.streams.cli;

import io.casefeed.common.component.Component;
import io.casefeed.common.component.ComponentContext;
import io.casefeed.common.component.ComponentRunner;
import io.casefeed.common.component.ExitCodes;
import io.casefeed.common.ops.OpsServer;
import io.casefeed.schemas.registry.SchemaRegistries;
import io.casefeed.schemas.registry.SchemaRegistryClient;
import io.casefeed.streams.CaseStreamsApp;
import io.casefeed.streams.config.StreamProcessorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code casefeed streams}: runs the stream-processor until SIGTERM or Ctrl-C. */
@Command(name = "streams", mixinStandardHelpOptions = true,
    description = "Turn case observations into the deduplicated change feed (casefeed.case-changes), the latest state of "
        + "every case (casefeed.cases) and the live pivot (casefeed.case-counts), exactly once; serve the query API.")
public final class StreamsCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file (keys in docs/stream-processor.md).")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides one configuration key; repeatable.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Override
  public Integer call() throws InterruptedException {
    StreamProcessorConfig streamsConfig;
    SchemaRegistryClient registry;
    try {
      streamsConfig = StreamProcessorConfig.load(config, System.getenv(), overrides);
      registry = SchemaRegistries.fromConfig(streamsConfig);
    } catch (ConfigException e) {
      System.err.println("config error: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    Clock clock = Clock.systemUTC();
    OpsServer ops = streamsConfig.opsServer();
    CaseStreamsApp app = new CaseStreamsApp(streamsConfig, registry, clock,
        ops == null ? new SimpleMeterRegistry() : ops.registry());
    ComponentRunner.Builder runner = ComponentRunner.builder("streams").clock(clock).add(new StreamsComponent(app));
    if (ops != null) {
      runner.readinessTo(ops::readiness).add(Component.of("ops", context -> {
        ops.start();
        System.out.println("casefeed streams: health and metrics at " + ops.url() + "/health, " + ops.url() + "/metrics");
      }, ops));
    }
    int exit = runner.build().run();
    if (exit == ExitCodes.FAILURE) {
      System.err.println("casefeed streams: Kafka Streams failed; see the log");
    }
    return exit;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new StreamsCommand()).execute(args));
  }

  /** Kafka Streams under the runner: its ERROR state (no thread left to replace) stops the process, with exit 1. */
  private record StreamsComponent(CaseStreamsApp app) implements Component {
    @Override
    public String name() {
      return "streams";
    }

    @Override
    public void start(ComponentContext context) {
      app.start();
      if (app.queryUrl() != null) {
        System.out.println("casefeed streams: query API at " + app.queryUrl());
      }
      app.failure().thenRun(() -> context.fail(new IllegalStateException("Kafka Streams went to ERROR: no stream thread left")));
    }

    @Override
    public boolean ready() {
      return app.state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public void close() {
      app.close();
    }
  }
}
