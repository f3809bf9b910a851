package io.casefeed.collector.cli;

import io.casefeed.collector.Collector;
import io.casefeed.collector.aws.AwsClients;
import io.casefeed.collector.config.CollectorConfig;
import io.casefeed.collector.poll.Outcome;
import io.casefeed.common.component.Component;
import io.casefeed.common.component.ComponentRunner;
import io.casefeed.common.component.ExitCodes;
import io.casefeed.common.ops.OpsServer;
import io.casefeed.schemas.registry.SchemaRegistries;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code casefeed collector --config FILE [--once]}. */
@Command(name = "collector", mixinStandardHelpOptions = true,
    description = {
        "Polls AWS Support in every member account and publishes every case to casefeed.case-observations.",
        "Runs until stopped (SIGTERM, Ctrl-C); several instances share the accounts through Kafka.",
        "With --once: one full sweep of every account, a summary on stdout, then exit (0 when every account",
        "was read or failed with an outcome recorded in casefeed.sweeps)."})
public final class CollectorCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(CollectorCommand.class);

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file (keys: see docs/collector.md).")
  Path configFile;

  @Option(names = "--once", description = "Sweep every account once, print the counts, exit.")
  boolean once;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides one configuration key (repeatable).")
  Map<String, String> overrides = new HashMap<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CollectorConfig config;
    try {
      config = CollectorConfig.load(configFile, System.getenv(), overrides);
    } catch (ConfigException e) {
      err.println("config error: " + e.getMessage());
      err.flush();
      return ExitCodes.USAGE;
    }
    OpsServer ops = config.opsPort() >= 0 ? new OpsServer(config.opsBind(), config.opsPort()) : null;
    MeterRegistry meters = ops != null ? ops.registry() : new SimpleMeterRegistry();
    AwsClients aws = new AwsClients(config);
    Clock clock = Clock.systemUTC();
    Collector collector;
    try {
      collector = new Collector(config, clock, SchemaRegistries.fromConfig(config), aws, meters);
    } catch (ConfigException e) {
      aws.close();
      if (ops != null) {
        ops.close();
      }
      err.println("config error: " + e.getMessage());
      err.flush();
      return ExitCodes.USAGE;
    }
    if (ops != null) {
      ops.start();
      LOG.info("health and metrics at {}/health and {}/metrics", ops.url(), ops.url());
    }
    if (once) {
      try (aws; collector; OpsCloser closer = new OpsCloser(ops)) {
        Collector.OnceSummary summary = collector.runOnce();
        StringBuilder outcomes = new StringBuilder();
        for (Outcome o : Outcome.values()) {
          outcomes.append(' ').append(o.wireName()).append('=').append(summary.outcomes().getOrDefault(o, 0));
        }
        out.printf("collector once: accounts=%d cases=%d api_calls=%d duration_s=%.1f%s%n", summary.accounts(), summary.cases(),
            summary.apiCalls(), summary.took().toMillis() / 1000.0, outcomes);
        out.flush();
        return summary.unexpectedFailures() == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
      }
    }
    ComponentRunner.Builder runner = ComponentRunner.builder("collector").clock(clock)
        .add(Component.resource("aws-clients", aws))
        .add(new CollectorComponent(collector));
    if (ops != null) {
      runner.readinessTo(ops::readiness);
    }
    runner.add(Component.resource("ops", new OpsCloser(ops)));
    return runner.build().run();
  }

  /** Closes the ops server when there is one. */
  private record OpsCloser(OpsServer ops) implements AutoCloseable {
    @Override
    public void close() {
      if (ops != null) {
        ops.close();
      }
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new CollectorCommand()).execute(args));
  }
}
