package io.casefeed.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

  @Option(names = "--fresh", description = "Delete the data folder first: a new organisation, empty topics and buckets.")
  boolean fresh;

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
    Demo.Options defaults = Demo.Options.defaults(dataDir);
    Demo.Options options = new Demo.Options(dataDir, accounts, speed, httpPort, kafkaPort, awsPort,
        awsPort == 0 ? 0 : awsPort + 1, awsPort == 0 ? 0 : defaults.registryPort(),
        defaults.seed(), defaults.fastPollMs(), defaults.sweepMs(), defaults.digestSchedule(), defaults.snapshotMs());
    Instant started = Instant.now();
    Demo demo = new Demo(options).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("stopping (data kept in " + dataDir.toAbsolutePath() + ")");
      demo.close();
      stopped.countDown();
    }, "demo-shutdown"));
    demo.endpoints().forEach((name, value) -> System.out.println(name + ": " + value));
    System.out.println("started in " + Duration.between(started, Instant.now()).toMillis() + " ms; Ctrl-C stops");
    System.out.flush();
    reportProgress(demo, started, stopped);
    return 0;
  }

  /** One progress line whenever something moved: first sweep, cases seen, changes, mails. */
  private static void reportProgress(Demo demo, Instant started, CountDownLatch stopped) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    ObjectMapper json = new ObjectMapper();
    String last = "";
    boolean firstData = false;
    while (!stopped.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(demo.streams().queryUrl() + "/api/stats"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode stats = json.readTree(response.body());
        long cases = stats.path("cases").asLong();
        if (cases > 0 && !firstData) {
          firstData = true;
          System.out.println("first data on the dashboard after " + Duration.between(started, Instant.now()).toSeconds() + " s");
        }
        String line = String.format("progress: accounts read %d, cases %d (%d open), mails sent %d",
            stats.path("coverage").path("accountsPolled").asLong(), cases, stats.path("open").asLong(), demo.cloud().outbox().size());
        if (!line.equals(last)) {
          System.out.println(line);
          last = line;
        }
      } catch (IOException e) {
        // The query API is not up yet; the next round tells.
      }
    }
  }

  /** Deletes a data folder casefeed made; anything else is refused (see {@link DataFolder}). */
  public static void deleteRecursively(Path dir) throws IOException {
    DataFolder.delete(dir);
  }
}
