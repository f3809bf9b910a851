package io.casefeed.e2e;

import io.casefeed.bench.process.ComponentProcess;
import io.casefeed.e2e.FaultLog.Kind;
import io.casefeed.e2e.S3FaultProxy.Mode;
import io.casefeed.localcloud.Faults;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pipeline through rounds of faults and then checks it against the ground truth.
 *
 * <p>One round has four slots, a schema-registry outage and a broker restart. In each slot an AWS fault and an S3 failure are
 * on for a few seconds while one component is SIGKILLed and restarted; then everything is quiet for a
 * few seconds, so states that live then must reach the feed. The last slot kills the collector while
 * a member account's role is revoked: AWS keeps honouring sessions already issued, so the loss shows
 * when the restarted collector assumes the role again. After the rounds the simulation is paused,
 * faults are cleared, and the checks are repeated until they hold or the settle time is over.
 */
final class FaultSuite {

  private static final Logger LOG = LoggerFactory.getLogger(FaultSuite.class);

  /** A state must last this long in one piece outside blind windows: a fast poll plus a call's time. */
  static final Duration OBSERVABLE = Pipeline.FAST_POLL.plusSeconds(1);
  /** After a fault clears, polls in back-off need this long to succeed again. */
  private static final Duration AWS_RECOVERY = Duration.ofSeconds(5);
  /** A restarted collector (JVM start, group join after the dead member's session, first sweep) reads again after this. */
  private static final Duration COLLECTOR_RECOVERY = Duration.ofSeconds(25);
  private static final Duration FAULT_ON = Duration.ofSeconds(5);
  private static final Duration QUIET = Duration.ofSeconds(5);
  /** Longer than a component's start, so the restarted one meets the outage when it reads its first records. */
  private static final Duration REGISTRY_DOWN = Duration.ofSeconds(12);
  private static final Duration SETTLE = Duration.ofSeconds(180);

  private static final List<String> AWS_FAULTS = List.of("throttling storm", "5xx errors", "latency spike");
  private static final List<Mode> S3_FAULTS = List.of(Mode.SLOW_DOWN_503, Mode.DROP_BEFORE_STORE, Mode.DROP_AFTER_STORE);
  private static final List<String> ROTATING_KILLS = List.of("streams", "sink", "notifier");

  /** The outcome: what was injected and what the checks found. */
  record Result(FaultLog faults, Verdict verdict, Map<String, Integer> unexpectedExits, String table) {}

  private final Clock clock = Clock.systemUTC();
  private final FaultLog faults = new FaultLog();
  private final PrintStream out;

  FaultSuite(PrintStream out) {
    this.out = out;
  }

  Result run(Path dir, int rounds) throws IOException, InterruptedException {
    String runId = Long.toString(System.currentTimeMillis(), 36);
    try (Pipeline pipeline = new Pipeline(dir, runId);
         GroundTruthRecorder truth = new GroundTruthRecorder(pipeline.cloud().simulation(), clock)) {
      // The history starts before the collector's first poll, so every state it sees is on record.
      truth.start(Duration.ofMillis(100));
      Instant started = clock.instant();
      pipeline.startComponents();
      faults.blind(null, started, clock.instant().plus(COLLECTOR_RECOVERY));
      ScheduledExecutorService supervisor = supervise(pipeline);
      InvariantChecker checker = new InvariantChecker(pipeline);
      try {
        awaitFirstReading(pipeline);
        // A first check, whose verdict does not count, loads every class the checks need now: the
        // local Maven repository is shared, and a jar reinstalled there mid-run would break a late load.
        checker.check(truth.histories(), faults, OBSERVABLE);
        sleep(QUIET);
        for (int round = 0; round < rounds; round++) {
          LOG.info("fault round {} of {}", round + 1, rounds);
          for (int slot = 0; slot < 3; slot++) {
            faultSlot(pipeline, AWS_FAULTS.get((slot + round) % 3), S3_FAULTS.get((slot + round) % 3), ROTATING_KILLS.get(slot));
          }
          revokedRoleSlot(pipeline, round);
          registryOutageSlot(pipeline, round);
          restartBroker(pipeline, round % 2 == 1);
        }
        // The last faults' recovery, then a quiet stretch whose states must all arrive.
        sleep(COLLECTOR_RECOVERY.plus(QUIET));
      } finally {
        pipeline.cloud().simulation().pause();
        pipeline.cloud().simulation().faults().clear();
        pipeline.cloud().schemaRegistryOutage(false);
        pipeline.s3Proxy().mode(Mode.PASS);
      }
      LOG.info("simulation paused at {}; settling", clock.instant());
      Verdict verdict = settle(pipeline, truth, checker);
      supervisor.shutdownNow();
      if (verdict.violationCount() > 0) {
        pipeline.components().values().forEach(ComponentProcess::dumpThreads);
      }
      Map<String, Integer> exits = new LinkedHashMap<>();
      pipeline.components().forEach((name, process) -> exits.put(name, process.unexpectedExits()));
      exits.put("broker", pipeline.broker().unexpectedExits());
      String table = table(verdict, exits, truth.samples(), pipeline.s3Proxy().faultedConnections());
      out.println(table);
      return new Result(faults, verdict, exits, table);
    }
  }

  private void faultSlot(Pipeline pipeline, String awsFault, Mode s3Fault, String component) {
    Faults aws = pipeline.cloud().simulation().faults();
    Instant on = clock.instant();
    switch (awsFault) {
      case "throttling storm" -> aws.throttle(null, "DescribeCases", 0.5, 1);
      case "5xx errors" -> aws.serverErrorRate(0.3);
      case "latency spike" -> aws.latency(Duration.ofMillis(500), Duration.ofMillis(2500));
      default -> throw new IllegalArgumentException(awsFault);
    }
    faults.injected(Kind.AWS_FAULT, awsFault);
    pipeline.s3Proxy().mode(s3Fault);
    faults.injected(Kind.S3_FAULT, s3Fault.name().toLowerCase(Locale.ROOT).replace('_', ' '));
    sleep(Duration.ofSeconds(1));
    pipeline.components().get(component).stopAndRestart(false, Duration.ofMillis(500), null);
    faults.injected(Kind.COMPONENT_KILL, component);
    sleep(FAULT_ON);
    aws.clear();
    pipeline.s3Proxy().mode(Mode.PASS);
    faults.blind(null, on, clock.instant().plus(AWS_RECOVERY));
    sleep(QUIET);
  }

  private void revokedRoleSlot(Pipeline pipeline, int round) {
    List<String> readable = pipeline.readableAccounts();
    String account = readable.get(round % readable.size());
    Faults aws = pipeline.cloud().simulation().faults();
    Instant on = clock.instant();
    aws.revokeRole(account);
    faults.injected(Kind.AWS_FAULT, "role revoked");
    pipeline.components().get("collector").stopAndRestart(false, Duration.ofMillis(500), null);
    faults.injected(Kind.COMPONENT_KILL, "collector");
    Instant restarted = clock.instant();
    faults.blind(null, on, restarted.plus(COLLECTOR_RECOVERY));
    // Long enough for the new collector to try the account and be refused.
    sleep(Duration.ofSeconds(15));
    aws.clear();
    faults.blind(account, on, clock.instant().plus(COLLECTOR_RECOVERY));
    sleep(QUIET);
  }

  /**
   * The schema registry answers 503 for a while, and a consumer is SIGKILLed and restarted in it: the
   * new JVM has no schema cached, so it must wait for the registry, neither dead-lettering a record
   * nor skipping one, and catch up once the registry is back. The collector keeps producing with the
   * schema ids it has cached, so its polls are not blind.
   */
  private void registryOutageSlot(Pipeline pipeline, int round) {
    String component = ROTATING_KILLS.get(round % ROTATING_KILLS.size());
    pipeline.cloud().schemaRegistryOutage(true);
    faults.injected(Kind.REGISTRY_OUTAGE, "503 for " + REGISTRY_DOWN.toSeconds() + " s, " + component + " restarted in it");
    try {
      sleep(Duration.ofSeconds(1));
      pipeline.components().get(component).stopAndRestart(false, Duration.ofMillis(500), null);
      faults.injected(Kind.COMPONENT_KILL, component);
      sleep(REGISTRY_DOWN);
    } finally {
      pipeline.cloud().schemaRegistryOutage(false);
    }
    sleep(QUIET);
  }

  private void restartBroker(Pipeline pipeline, boolean graceful) {
    Instant down = clock.instant();
    pipeline.broker().stopAndRestart(graceful, Duration.ofSeconds(2), "kafka: ");
    faults.injected(Kind.BROKER_RESTART, graceful ? "SIGTERM" : "SIGKILL");
    faults.blind(null, down, clock.instant().plus(COLLECTOR_RECOVERY));
    sleep(QUIET);
  }

  /** The pipeline is up once the query API reports cases: the collector, broker and streams all work. */
  private void awaitFirstReading(Pipeline pipeline) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(pipeline.queryUrl() + "/api/pivot?rows=account"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() == 200 && !reply.body().contains("\"total\":0")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException("the pipeline reported no case within 120 s; logs in " + pipeline.dir());
  }

  /** Checks until every invariant holds or the settle time is over; the last verdict counts. */
  private Verdict settle(Pipeline pipeline, GroundTruthRecorder truth, InvariantChecker checker) throws InterruptedException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    Verdict verdict;
    while (true) {
      Thread.sleep(5000);
      try {
        verdict = checker.check(truth.histories(), faults, OBSERVABLE);
      } catch (RuntimeException e) {
        // A check that cannot read (query API restarting) is retried like a failing invariant.
        LOG.warn("check failed, retrying", e);
        verdict = new Verdict();
        verdict.wrong("checks could run", e.toString());
      }
      if (verdict.violationCount() == 0 || System.nanoTime() > deadline) {
        return verdict;
      }
      LOG.info("{} violation(s) so far, e.g. {}", verdict.violationCount(), verdict.violations().get(0));
    }
  }

  /** Restarts a component that stopped by itself (a service manager would), counting it. */
  private static ScheduledExecutorService supervise(Pipeline pipeline) {
    ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "fault-suite-supervisor");
      thread.setDaemon(true);
      return thread;
    });
    supervisor.scheduleWithFixedDelay(() -> {
      pipeline.components().values().forEach(ComponentProcess::restartIfExited);
      if (pipeline.broker().restartIfExited()) {
        pipeline.broker().awaitOutputLine("kafka: ", Duration.ofSeconds(120));
      }
    }, 1, 1, TimeUnit.SECONDS);
    return supervisor;
  }

  private String table(Verdict verdict, Map<String, Integer> exits, long samples, long s3FaultedConnections) {
    StringBuilder table = new StringBuilder("\n=== fault suite ===\n");
    table.append(String.format(Locale.ROOT, "%-34s %9s  %s%n", "fault kind", "injected", "detail"));
    faults.injected().forEach((kind, details) -> table.append(String.format(Locale.ROOT, "%-34s %9d  %s%n",
        kind.label, details.values().stream().mapToInt(Integer::intValue).sum(), details)));
    table.append(String.format(Locale.ROOT, "%-34s %9d  %s%n", "  S3 connections failed by proxy", s3FaultedConnections, ""));
    table.append("unexpected exits (restarted): ").append(exits).append('\n');
    table.append("ground-truth samples: ").append(samples).append('\n');
    table.append(verdict.table());
    return table.toString();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
