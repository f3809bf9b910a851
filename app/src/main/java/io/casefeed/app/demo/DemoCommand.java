package io.casefeed.app.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code casefeed demo}: the whole pipeline on a laptop, no AWS account, no Docker. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Runs the whole pipeline on this machine: a real Kafka broker, local stand-ins for AWS with a simulated "
        + "organisation whose cases change, collector, stream-processor, sink-s3, notifier and the dashboard. Ctrl-C stops it; "
        + "the next start resumes from the data folder.")
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--data-dir", defaultValue = "casefeed-data", description = "Where everything is kept (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--accounts", defaultValue = "25", description = "Accounts in the simulated organisation (default: ${DEFAULT-VALUE}).")
  int accounts;

  @Option(names = "--speed", defaultValue = "60", description = "How many times faster than real life cases change (default: ${DEFAULT-VALUE}).")
  double speed;

  @Option(names = "--http-port", defaultValue = "8080", description = "Dashboard and query API port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(names = "--aws-port", defaultValue = "4566", description = "local-cloud's AWS endpoint port (default: ${DEFAULT-VALUE}); S3 is on the next port, the schema registry on 8081; 0 picks free ports for all.")
  int awsPort;

  @Option(names = "--no-events", negatable = false,
      description = "Polling only: no AWS Support events through local-cloud's EventBridge and SQS (by default they are on).")
  boolean noEvents;

  @Option(names = "--fresh", description = "Delete the data folder first: a new organisation, empty topics and buckets.")
  boolean fresh;

  @Option(names = "--verbose", description = "Show the log on the terminal too (it always goes to <data-dir>/logs/casefeed.log).")
  boolean verbose;

  @Option(names = "--log-level", defaultValue = "INFO", description = "Level of casefeed's own log lines: ERROR, WARN, INFO, DEBUG or TRACE (default: ${DEFAULT-VALUE}).")
  String logLevel;

  @Override
  public Integer call() throws Exception {
    if (accounts < 1 || accounts > 5000) {
      System.err.println("casefeed demo: --accounts must be 1..5000, got " + accounts);
      return 2;
    }
    if (!(speed > 0)) {
      System.err.println("casefeed demo: --speed must be positive, got " + speed);
      return 2;
    }
    try {
      if (fresh) {
        DataFolder.delete(dataDir);
      }
      DataFolder.prepare(dataDir);
    } catch (DataFolder.RefusedFolderException e) {
      System.err.println("casefeed demo: " + e.getMessage());
      return 2;
    }
    if (!java.util.Set.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE").contains(logLevel.toUpperCase(java.util.Locale.ROOT))) {
      System.err.println("casefeed demo: --log-level must be one of ERROR, WARN, INFO, DEBUG, TRACE, got " + logLevel);
      return 2;
    }
    Path logFile = DemoLogging.toFolder(dataDir.resolve("logs"), verbose, logLevel.toUpperCase(java.util.Locale.ROOT));
    Demo.Options defaults = Demo.Options.defaults(dataDir);
    Demo.Options options = new Demo.Options(dataDir, accounts, speed, httpPort, kafkaPort, awsPort,
        awsPort == 0 ? 0 : awsPort + 1, awsPort == 0 ? 0 : defaults.registryPort(),
        defaults.seed(), defaults.fastPollMs(), defaults.sweepMs(), defaults.digestSchedule(), defaults.snapshotMs());
    Instant started = Instant.now();
    Demo demo = new Demo(options);
    if (!noEvents) {
      demo.withEvents();
    }
    demo.start();
    CountDownLatch stopped = new CountDownLatch(1);
    // Closing takes a while (the events reader finishes its long poll): no status line after "stopping".
    java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping.set(true);
      // On a terminal the status line has no newline yet.
      System.out.println((System.console() != null ? System.lineSeparator() : "") + "stopping (data kept in " + dataDir.toAbsolutePath() + ")");
      demo.close();
      stopped.countDown();
    }, "demo-shutdown"));
    demo.endpoints().forEach((name, value) -> System.out.println(name + ": " + value));
    if (logFile != null) {
      System.out.println("log: " + logFile + (verbose ? "" : " (--verbose shows it here too)"));
    }
    System.out.println("started in " + Duration.between(started, Instant.now()).toMillis() + " ms; Ctrl-C stops");
    System.out.flush();
    reportProgress(demo, started, stopped, stopping);
    return 0;
  }

  /**
   * The status: on a terminal one line rewritten in place every two seconds; piped, a plain line each time a count
   * moved (at most every five seconds), so a log of the demo stays readable.
   */
  private static void reportProgress(Demo demo, Instant started, CountDownLatch stopped,
      java.util.concurrent.atomic.AtomicBoolean stopping) throws InterruptedException {
    boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
    long intervalMs = terminal ? 2_000 : 5_000;
    try (DemoStatusSampler sampler = new DemoStatusSampler(demo)) {
      DemoStatus previous = null;
      DemoStatus printed = null;
      long previousAt = System.nanoTime();
      boolean firstData = false;
      while (!stopped.await(intervalMs, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        DemoStatus status = sampler.sample();
        if (status == null) {
          continue; // the query API is not up yet; the next round tells
        }
        if (stopping.get()) {
          break;
        }
        long now = System.nanoTime();
        if (status.cases() > 0 && !firstData) {
          firstData = true;
          System.out.print(terminal ? "\r\033[2K" : "");
          System.out.println("first data on the dashboard after " + Duration.between(started, Instant.now()).toSeconds() + " s");
        }
        String line = status.render(previous, (now - previousAt) / 1e9);
        if (terminal) {
          System.out.print("\r\033[2K" + line);
          System.out.flush();
        } else if (!status.sameCounts(printed)) {
          System.out.println(line);
          printed = status;
        }
        previous = status;
        previousAt = now;
      }
      if (terminal && !stopping.get()) {
        System.out.println();
      }
    }
  }

  /** Deletes a data folder casefeed made; anything else is refused (see {@link DataFolder}). */
  public static void deleteRecursively(Path dir) throws IOException {
    DataFolder.delete(dir);
  }
}
