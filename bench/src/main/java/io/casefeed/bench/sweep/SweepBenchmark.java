package io.casefeed.bench.sweep;

import io.casefeed.collector.Collector;
import io.casefeed.collector.aws.AwsClients;
import io.casefeed.collector.config.CollectorConfig;
import io.casefeed.collector.poll.Outcome;
import io.casefeed.kafka.embedded.EmbeddedKafkaBroker;
import io.casefeed.localcloud.LocalCloud;
import io.casefeed.localcloud.LocalCloudOptions;
import io.casefeed.localcloud.Scenario;
import io.casefeed.localcloud.SimulatedAccount;
import io.casefeed.localcloud.SimulatedCase;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.support.SupportClient;

/**
 * {@code casefeed bench sweep}: one full sweep of a simulated organisation by the collector, next to
 * the seed's sequential loop on the same data in the same run, and next to the floor the AWS limits
 * allow. Not a test: it prints figures.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = "Full-sweep wall time of the collector against local-cloud, vs the seed's sequential loop and the floor.")
public final class SweepBenchmark implements Callable<Integer> {

  @Option(names = "--accounts", description = "Member accounts (default ${DEFAULT-VALUE}).")
  int accounts = 1000;

  @Option(names = "--cases", description = "Cases per account, languages mixed evenly (default ${DEFAULT-VALUE}).")
  int cases = 30;

  @Option(names = "--latency-ms", description = "Latency of every AWS call (default ${DEFAULT-VALUE}).")
  long latencyMs = 50;

  @Option(names = "--account-rate", description = "Support calls per second allowed per account (default ${DEFAULT-VALUE}).")
  double accountRate = 5;

  @Option(names = "--global-rate", description = "AWS calls per second allowed in all (default ${DEFAULT-VALUE}).")
  double globalRate = 1000;

  @Option(names = "--threads", description = "Collector poll threads (default ${DEFAULT-VALUE}).")
  int threads = 96;

  @Option(names = "--server-latency",
      description = "Let local-cloud inject the latency (its 128 request threads then cap the call rate) instead of the client.")
  boolean serverLatency;

  @Option(names = "--skip-sequential", description = "Do not run the sequential loop (prints sequential_s=nan).")
  boolean skipSequential;

  @Option(names = "--warmup-accounts",
      description = "Accounts both contenders read once, untimed, so that neither pays the JVM's class loading and JIT (default ${DEFAULT-VALUE}).")
  int warmupAccounts = 20;

  private static final List<String> LANGUAGES = List.of("en", "ja", "zh", "ko");

  @Override
  public Integer call() throws Exception {
    Path kafkaDir = Files.createTempDirectory("casefeed-bench-kafka-");
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create(kafkaDir, 0).start();
    try (LocalCloud cloud = LocalCloud.start(LocalCloudOptions.builder().port(0).scenario(scenario()).build())) {
      configureFaults(cloud);
      List<SimulatedAccount> members = cloud.simulation().accounts();
      Floor floor = floor(cloud, members);

      List<SimulatedAccount> warmup = members.subList(0, Math.min(warmupAccounts, members.size()));
      if (!warmup.isEmpty()) {
        sweepOnce(cloud, broker, warmup, "bench-warmup.");
        if (!skipSequential) {
          sequentialSeedLoop(cloud, warmup);
        }
        // Let the per-account buckets the warm-up used fill up again.
        Thread.sleep(2000);
      }

      cloud.simulation().resetCallCounts();
      Timed timed = sweepOnce(cloud, broker, members, "bench.");
      Collector.OnceSummary summary = timed.summary();
      long callsMade = cloud.simulation().callCounts().values().stream().mapToLong(Long::longValue).sum();
      double wall = summary.took().toNanos() / 1e9;

      double sequential = skipSequential ? Double.NaN : sequentialSeedLoop(cloud, members);

      System.out.printf(Locale.ROOT, "organisation: %d accounts x %d cases in %s, %d ms per call, %.0f calls/s per account, %.0f calls/s in all (latency %s)%n",
          members.size(), cases, LANGUAGES, latencyMs, accountRate, globalRate, serverLatency ? "in local-cloud" : "on the client");
      System.out.printf(Locale.ROOT, "casefeed sweep: %.2f s, %d cases read, %d calls made (%d needed), outcomes %s%n",
          wall, summary.cases(), callsMade, floor.totalCalls, summary.outcomes());
      System.out.printf(Locale.ROOT, "floor: %.2f s = max(%d calls / %.0f per s = %.2f s, slowest account %d calls / %.0f per s + %d x %d ms = %.2f s)%n",
          floor.seconds(), floor.totalCalls, globalRate, floor.globalSeconds, floor.slowestCalls, accountRate, floor.slowestCalls,
          latencyMs, floor.slowestSeconds);
      System.out.printf(Locale.ROOT, "sequential seed loop (AssumeRole + one DescribeCases page per account, English open cases only): %.2f s%n",
          sequential);
      Map<String, Double> cpu = timed.cpuSeconds();
      System.out.printf(Locale.ROOT, "CPU during the sweep (one JVM, %d cores): collector %.1f s (%.0f us per call), stand-in %.1f s, broker %.1f s, JIT/GC/other %.1f s%n",
          Runtime.getRuntime().availableProcessors(), cpu.get(CpuByRole.COLLECTOR), cpu.get(CpuByRole.COLLECTOR) * 1e6 / Math.max(1, callsMade),
          cpu.get(CpuByRole.STAND_IN), cpu.get(CpuByRole.BROKER), cpu.get(CpuByRole.JVM_AND_OTHER));
      System.out.printf(Locale.ROOT, "bench sweep: wall_s=%.2f floor_s=%.2f sequential_s=%.2f floor_ratio=%.2f speedup=%.2f%n",
          wall, floor.seconds(), sequential, wall / floor.seconds(), sequential / wall);
      return summary.outcomes().getOrDefault(Outcome.OK, 0) == members.size() ? 0 : 1;
    } finally {
      broker.stop();
    }
  }

  private Scenario scenario() {
    List<Scenario.AccountSpec> clean = new ArrayList<>();
    for (int i = 0; i < accounts; i++) {
      // Every account readable, none hot, none with a standing throttle: the limits are set uniformly below.
      clean.add(new Scenario.AccountSpec(i, null, "ACTIVE", true, true, false, false, null, null, null));
    }
    Map<String, Double> evenly = new HashMap<>();
    LANGUAGES.forEach(l -> evenly.put(l, 0.25));
    return new Scenario(42L, accounts, null, null, null, null, null, cases, cases, 0, evenly, 0.0, null, null, null, clean);
  }

  private void configureFaults(LocalCloud cloud) {
    var faults = cloud.simulation().faults().clear();
    if (serverLatency) {
      faults.latency(Duration.ofMillis(latencyMs), Duration.ofMillis(latencyMs));
    }
    faults.globalRateLimit(globalRate);
    // local-cloud's throttle with no account is one bucket shared by all; the per-account limit is one bucket each.
    for (SimulatedAccount a : cloud.simulation().accounts()) {
      faults.throttle(a.id(), "Support.DescribeCases", accountRate, (int) Math.max(1, Math.round(accountRate)));
    }
  }

  private SdkHttpClient transport(SdkHttpClient http) {
    return serverLatency ? http : new DelayedHttpClient(http, Duration.ofMillis(latencyMs));
  }

  /** One sweep's summary and the CPU each role spent on it (set-up included, close not). */
  private record Timed(Collector.OnceSummary summary, Map<String, Double> cpuSeconds) {}

  private Timed sweepOnce(LocalCloud cloud, EmbeddedKafkaBroker broker, List<SimulatedAccount> accounts,
      String topicPrefix) throws InterruptedException {
    CollectorConfig config = CollectorConfig.load(null, Map.of(), collectorSettings(cloud, broker, accounts, topicPrefix));
    SdkHttpClient http = transport(AwsClients.defaultHttpClient(config));
    CpuByRole cpu = CpuByRole.start();
    try (AwsClients aws = new AwsClients(config, http);
         Collector collector = new Collector(config, Clock.systemUTC(), new HttpSchemaRegistryClient(cloud.schemaRegistryUrl()),
             aws, new SimpleMeterRegistry())) {
      Collector.OnceSummary summary = collector.runOnce();
      // Read before close: the poll threads end with the collector.
      return new Timed(summary, cpu.since());
    }
  }

  private Map<String, String> collectorSettings(LocalCloud cloud, EmbeddedKafkaBroker broker, List<SimulatedAccount> members,
      String topicPrefix) {
    Map<String, String> m = new HashMap<>();
    m.put("kafka.bootstrap.servers", broker.bootstrapServers());
    m.put("schema.registry.url", cloud.schemaRegistryUrl());
    m.put("topic.replication.factor", "1");
    m.put("topic.prefix", topicPrefix);
    m.put("aws.endpoint.override", cloud.awsEndpoint().toString());
    m.put("aws.access.key.id", cloud.accessKeyId());
    m.put("aws.secret.access.key", cloud.secretAccessKey());
    m.put("accounts.static", String.join(",", members.stream().map(SimulatedAccount::id).toList()));
    m.put("poll.threads", Integer.toString(threads));
    m.put("ratelimit.account.per.second", Double.toString(accountRate));
    m.put("ratelimit.account.burst", Long.toString(Math.max(1, Math.round(accountRate))));
    m.put("ratelimit.global.per.second", Double.toString(globalRate));
    m.put("collector.id", "bench");
    return m;
  }

  /** The floor as the issue defines it, from the calls the design needs on this data. */
  record Floor(long totalCalls, double globalSeconds, long slowestCalls, double slowestSeconds) {
    double seconds() {
      return Math.max(globalSeconds, slowestSeconds);
    }
  }

  private Floor floor(LocalCloud cloud, List<SimulatedAccount> members) {
    Instant after = Instant.now().minus(Duration.ofDays(730));
    long total = 0;
    long slowestCalls = 0;
    double slowest = 0;
    for (SimulatedAccount a : members) {
      Map<String, Integer> perLanguage = new HashMap<>();
      for (SimulatedCase c : cloud.simulation().cases(a.id())) {
        if (!Instant.parse(c.timeCreated()).isBefore(after)) {
          perLanguage.merge(c.language(), 1, Integer::sum);
        }
      }
      long supportCalls = 0;
      for (String language : LANGUAGES) {
        // A language with no case still costs the one call that finds it empty.
        supportCalls += Math.max(1, (perLanguage.getOrDefault(language, 0) + 99) / 100);
      }
      long calls = supportCalls + 1;
      total += calls;
      double seconds = supportCalls / accountRate + calls * latencyMs / 1000.0;
      if (seconds > slowest) {
        slowest = seconds;
        slowestCalls = calls;
      }
    }
    return new Floor(total, total / globalRate, slowestCalls, slowest);
  }

  /** What the seed's Lambda does: per account, AssumeRole then one DescribeCases call, one after the other. */
  private double sequentialSeedLoop(LocalCloud cloud, List<SimulatedAccount> members) {
    SdkHttpClient http = transport(ApacheHttpClient.builder().build());
    var management = StaticCredentialsProvider.create(AwsBasicCredentials.create(cloud.accessKeyId(), cloud.secretAccessKey()));
    try (StsClient sts = StsClient.builder().httpClient(http).region(Region.US_EAST_1).credentialsProvider(management)
             .endpointOverride(cloud.awsEndpoint()).build();
         SupportClient support = SupportClient.builder().httpClient(http).region(Region.US_EAST_1).credentialsProvider(management)
             .endpointOverride(cloud.awsEndpoint())
             .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy())).build()) {
      long start = System.nanoTime();
      for (SimulatedAccount a : members) {
        Credentials c = sts.assumeRole(b -> b.roleArn("arn:aws:iam::" + a.id() + ":role/GetSupportInfoRole")
            .roleSessionName("GetSupportInfo")).credentials();
        var member = StaticCredentialsProvider.create(
            AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
        support.describeCases(b -> b.overrideConfiguration(o -> o.credentialsProvider(member)));
      }
      return (System.nanoTime() - start) / 1e9;
    } finally {
      http.close();
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new SweepBenchmark()).execute(args));
  }
}
