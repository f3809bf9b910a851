package io.casefeed.localcloud;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code casefeed local-cloud}: runs the local AWS stand-ins, S3 and the schema registry until stopped. */
@Command(name = "local-cloud", mixinStandardHelpOptions = true,
    description = {"Local stand-ins for AWS Support, STS, Organizations and SES (one endpoint), an S3-compatible server "
        + "and a Confluent-compatible schema registry, around a simulated organisation whose cases live and change.",
        "Prints its endpoints as 'name: value' lines, then runs until SIGTERM or Ctrl-C."})
public final class LocalCloudCommand implements Callable<Integer> {

  static final int CONFIG_ERROR = 2;

  @Spec
  CommandSpec spec;

  @Option(names = "--port", defaultValue = "4566",
      description = "AWS endpoint port (default ${DEFAULT-VALUE}); S3 listens on port+1, the schema registry on port+2 and SQS on port+3; 0 = free ports.")
  int port;

  @Option(names = "--data-dir", description = "Where the organisation, S3 objects, schemas and the outbox live; a restart on it continues the same organisation. Default: a fresh temporary directory.")
  Path dataDir;

  @Option(names = "--scenario", paramLabel = "FILE", description = "Scenario file (JSON, or YAML by .yaml/.yml).")
  Path scenarioFile;

  @Option(names = "--accounts", paramLabel = "N", description = "Accounts in the organisation, the management account included (default 10, or the scenario's).")
  Integer accounts;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of the generator and the lifecycle (default 42, or the scenario's).")
  Long seed;

  @Option(names = "--bind-address", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
      description = "Address every server listens on (default: ${DEFAULT-VALUE}); 0.0.0.0 in a container that other containers must reach. "
          + "local-cloud has test credentials: never expose it beyond a private network.")
  String bindAddress;

  @Option(names = "--speed", paramLabel = "X", description = "Multiplies the rate of lifecycle events; never moves the clock (default 1).")
  Double speed;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LocalCloudOptions options;
    try {
      if (port < 0 || port > 65532) {
        throw new IllegalArgumentException("--port must be within 0..65532, was " + port);
      }
      LocalCloudOptions.Builder builder = LocalCloudOptions.builder().port(port).dataDir(dataDir)
          .s3Port(port == 0 ? 0 : port + 1).schemaRegistryPort(port == 0 ? 0 : port + 2)
          .sqsPort(port == 0 ? 0 : port + 3).bindAddress(bindAddress);
      if (scenarioFile != null) {
        builder.scenarioFile(scenarioFile);
      }
      if (accounts != null) {
        builder.accounts(accounts);
      }
      if (seed != null) {
        builder.seed(seed);
      }
      if (speed != null) {
        builder.speed(speed);
      }
      options = builder.build();
    } catch (ScenarioException e) {
      err.println("config error: --scenario " + e.getMessage());
      err.flush();
      return CONFIG_ERROR;
    } catch (IllegalArgumentException e) {
      err.println("config error: " + e.getMessage());
      err.flush();
      return CONFIG_ERROR;
    }
    LocalCloud cloud = LocalCloud.start(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      cloud.close();
      stopped.countDown();
    }, "localcloud-shutdown"));
    out.println("aws: " + cloud.awsEndpoint());
    out.println("s3: " + cloud.s3Endpoint());
    out.println("schema-registry: " + cloud.schemaRegistryUrl());
    out.println("sqs: " + cloud.sqsEndpoint());
    out.println("outbox: " + cloud.outboxDir());
    out.println("data-dir: " + cloud.dataDir());
    out.println("management-account: " + cloud.managementAccountId());
    out.println("access-key: " + cloud.accessKeyId());
    out.println("admin: " + cloud.awsEndpoint() + "/_localcloud/");
    out.println("started: " + DateTimeFormatter.ISO_INSTANT.format(cloud.startedAt().truncatedTo(ChronoUnit.MILLIS)));
    out.flush();
    stopped.await();
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new LocalCloudCommand()).execute(args));
  }
}
