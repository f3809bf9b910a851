package io.casefeed.localcloud;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.support.SupportClient;

/**
 * How many DescribeCases pages per second local-cloud serves on this machine, through the real SDK
 * client (client and server share the cores, as in the collector benchmark). The baseline, measured
 * in the same run, is the cheapest signed call (DescribeSeverityLevels): the ratio shows what the
 * case pages themselves cost over authentication, routing and HTTP.
 *
 * <p>Run: {@code cd /work/main && mvn -B -q -o -pl local-cloud test-compile dependency:build-classpath
 * -Dmdep.outputFile=target/cp.txt && java -cp local-cloud/target/test-classes:local-cloud/target/classes:$(cat
 * local-cloud/target/cp.txt) io.casefeed.localcloud.LocalCloudCapacityBenchmark [seconds] [threads]}
 */
public final class LocalCloudCapacityBenchmark {

  private LocalCloudCapacityBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    Duration measure = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 10);
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    Path dataDir = Files.createTempDirectory("localcloud-bench");
    try (LocalCloud cloud = LocalCloud.start(LocalCloudOptions.builder().dataDir(dataDir).accounts(50).seed(42L).build())) {
      cloud.simulation().pause();
      List<SimulatedAccount> accounts = cloud.simulation().accounts().stream()
          .filter(a -> a.supportPlan() && a.hasRole() && a.active())
          .filter(a -> !cloud.simulation().throttledAccounts().contains(a.id())).toList();
      List<AwsCredentials> credentials = new ArrayList<>();
      for (SimulatedAccount account : accounts) {
        credentials.add(account.id().equals(cloud.managementAccountId())
            ? AwsClients.management(cloud) : AwsClients.assumeRole(cloud, account.id()));
      }
      cloud.simulation().faults().clear();
      List<SupportClient> clients = credentials.stream().map(c -> AwsClients.support(cloud, c)).toList();

      // Both operations warm up (JIT, connection pools) before either is measured.
      run("warm-up", Duration.ofSeconds(6), threads, clients, client -> {
        client.describeSeverityLevels(r -> { });
        client.describeCases(r -> r.maxResults(100));
        return 2;
      });
      double baseline = run("baseline DescribeSeverityLevels (SDK)", measure, threads, clients,
          client -> client.describeSeverityLevels(r -> { }).severityLevels().isEmpty() ? 0 : 1);
      double firstPages = run("DescribeCases first page, 100 open cases (SDK)", measure, threads, clients,
          client -> client.describeCases(r -> r.maxResults(100)).hasCases() ? 1 : 0);
      double allPages = run("DescribeCases pages, paginator, resolved included (SDK)", measure, threads, clients,
          client -> (int) client.describeCasesPaginator(r -> r.maxResults(100).includeResolvedCases(true)).stream().count());
      double replayedBaseline = ReplayedCalls.run("baseline DescribeSeverityLevels (replayed, server only)", measure, threads,
          ReplayedCalls.capture(cloud, credentials, client -> client.describeSeverityLevels(r -> { })));
      double replayedPages = ReplayedCalls.run("DescribeCases pages of 100 (replayed, server only)", measure, threads,
          ReplayedCalls.capture(cloud, credentials, client -> client.describeCases(r -> r.maxResults(100).includeResolvedCases(true))));
      long pagesServed = cloud.simulation().callCounts().entrySet().stream()
          .filter(e -> e.getKey().startsWith("Support.DescribeCases:")).mapToLong(java.util.Map.Entry::getValue).sum();
      System.out.printf(Locale.ROOT, "ratio first-page DescribeCases / baseline: %.2f%n", firstPages / baseline);
      System.out.printf(Locale.ROOT, "ratio paginated DescribeCases / baseline: %.2f%n", allPages / baseline);
      System.out.printf(Locale.ROOT, "ratio replayed DescribeCases pages / replayed baseline: %.2f%n", replayedPages / replayedBaseline);
      System.out.printf(Locale.ROOT, "server-only capacity: %.0f DescribeCases pages/s%n", replayedPages);
      System.out.printf(Locale.ROOT, "DescribeCases calls served in total: %d (%d cores, %d client threads)%n",
          pagesServed, Runtime.getRuntime().availableProcessors(), threads);
      clients.forEach(SupportClient::close);
    }
  }

  /** Calls per second over {@code duration}, each thread calling through its own rotating client. */
  private static double run(String name, Duration duration, int threads, List<SupportClient> clients,
      ToIntFunction<SupportClient> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    LongAdder calls = new LongAdder();
    long end = System.nanoTime() + duration.toNanos();
    long start = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int offset = t;
      workers.add(pool.submit(() -> {
        int i = offset;
        while (System.nanoTime() < end) {
          calls.add(call.applyAsInt(clients.get(i++ % clients.size())));
        }
      }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    pool.shutdown();
    double seconds = (System.nanoTime() - start) / 1e9;
    double perSecond = calls.sum() / seconds;
    System.out.printf(Locale.ROOT, "%-55s %9.0f calls/s (%d calls in %.1f s)%n", name, perSecond, calls.sum(), seconds);
    return perSecond;
  }
}
