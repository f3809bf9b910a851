package io.casefeed.notifier.cli;

import io.casefeed.notifier.Notifier;
import io.casefeed.notifier.config.NotifierConfig;
import io.casefeed.notifier.delivery.SesClients;
import io.casefeed.notifier.delivery.SesMailSender;
import io.casefeed.schemas.registry.SchemaRegistries;
import io.casefeed.schemas.registry.SchemaRegistryClient;
import io.casefeed.common.component.Component;
import io.casefeed.common.component.ComponentRunner;
import io.casefeed.common.component.ExitCodes;
import io.casefeed.common.ops.OpsServer;
import io.casefeed.common.time.Sleeper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/** {@code casefeed notifier --config FILE}: runs the notifier until SIGTERM or Ctrl-C. */
@Command(name = "notifier", mixinStandardHelpOptions = true,
    description = "Sends SES digests and alerts from casefeed's topics, never twice, never skipped.")
public final class NotifierCommand implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file (keys: see docs/notifier.md).")
  Path configFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides one configuration key (repeatable).")
  Map<String, String> overrides = Map.of();

  public static void main(String[] args) {
    System.exit(new CommandLine(new NotifierCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    NotifierConfig config;
    SchemaRegistryClient registry;
    try {
      config = NotifierConfig.load(configFile, System.getenv(), overrides);
      registry = SchemaRegistries.fromConfig(config);
    } catch (ConfigException e) {
      System.err.println("config error: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    Clock clock = Clock.systemUTC();
    SesV2Client ses = SesClients.fromConfig(config);
    OpsServer ops = config.opsServer();
    Notifier notifier = new Notifier(config, clock, registry,
        new SesMailSender(ses, config.sesConfigurationSet()), ops == null ? new SimpleMeterRegistry() : ops.registry(),
        PauseAtStep.fromSystemProperties(), Sleeper.SYSTEM);
    ComponentRunner.Builder runner = ComponentRunner.builder("notifier").clock(clock)
        .add(Component.resource("ses-client", ses))
        .add(new NotifierComponent(notifier));
    if (ops != null) {
      runner.readinessTo(ops::readiness).add(Component.of("ops", context -> {
        ops.start();
        System.out.println("casefeed notifier: health and metrics at " + ops.url() + "/health, " + ops.url() + "/metrics");
      }, ops));
    }
    int exit = runner.build().run();
    if (exit == ExitCodes.FAILURE && notifier.failure() != null) {
      System.err.println("notifier failed: " + notifier.failure().getMessage());
    }
    return exit;
  }
}
