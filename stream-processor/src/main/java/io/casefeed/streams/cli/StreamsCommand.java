package io.casefeed.streams.cli;

import io.casefeed.schemas.registry.SchemaRegistries;
import io.casefeed.schemas.registry.SchemaRegistryClient;
import io.casefeed.streams.CaseStreamsApp;
import io.casefeed.streams.config.StreamProcessorConfig;
import io.casefeed.common.ops.OpsServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;
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
      return 2;
    }
    OpsServer ops = streamsConfig.opsServer();
    CaseStreamsApp app = new CaseStreamsApp(streamsConfig, registry, Clock.systemUTC(),
        ops == null ? new SimpleMeterRegistry() : ops.registry());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.close();
      if (ops != null) {
        ops.close();
      }
      stopped.countDown();
    }, "streams-shutdown"));
    app.start();
    if (ops != null) {
      ops.readiness("streams", () -> app.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING).start();
      System.out.println("casefeed streams: health and metrics at " + ops.url() + "/health, " + ops.url() + "/metrics");
    }
    if (app.queryUrl() != null) {
      System.out.println("casefeed streams: query API at " + app.queryUrl());
    }
    while (!stopped.await(1, TimeUnit.SECONDS)) {
      if (app.awaitFailure(0, TimeUnit.SECONDS)) {
        System.err.println("casefeed streams: Kafka Streams failed; see the log");
        return 1;
      }
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new StreamsCommand()).execute(args));
  }
}
