package io.casefeed.bench.soak;

import io.casefeed.collector.config.CollectorConfig;
import io.casefeed.collector.metrics.CollectorMetrics;
import io.casefeed.bench.CaseFingerprint;
import io.casefeed.localcloud.LocalCloud;
import io.casefeed.localcloud.SimulatedAccount;
import io.casefeed.localcloud.Simulation;
import io.casefeed.localcloud.events.SupportCaseEvent;
import io.casefeed.localcloud.events.SupportEventBridge;
import io.casefeed.schema.CaseChange;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.sink.config.SinkConfig;
import io.casefeed.streams.config.StreamProcessorConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiPredicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@code casefeed bench soak}: the whole pipeline (the demo's wiring) with a large simulated
 * organisation changing fast, for minutes. Every change local-cloud makes is recorded the moment it
 * is made; a consumer of the change feed and a lister of the S3 history say when each arrived. It
 * reports throughput, latency percentiles, heap and RSS over time, and what was lost or duplicated.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
    description = "Runs the pipeline with many accounts at a high change rate and reports throughput, end-to-end latency "
        + "(change in local-cloud -> event on the feed, -> row in S3), heap and RSS over time, lost and duplicated changes.")
public class SoakBenchmark implements Callable<Integer> {

  private static final String HISTORY_CSV_PREFIX = "casefeed/case_changes_csv/";
  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
  private static final Duration WARM_UP_LIMIT = Duration.ofMinutes(20);
  /** After the changes stop, beyond the next sweep of every account: what only a sweep sees arrives by then. */
  private static final Duration DRAIN_MARGIN = Duration.ofMinutes(1);
  /** Observations the stream-processor may have left to process when the warm-up ends: a few seconds' worth. */
  private static final long WARM_LAG = 20_000;

  @Option(names = "--minutes", description = "Minutes of changes measured, after the warm-up (default: ${DEFAULT-VALUE}).")
  double minutes = 10;

  @Option(names = "--accounts", description = "Accounts of the simulated organisation (default: ${DEFAULT-VALUE}).")
  int accounts = 1000;

  @Option(names = "--changes-per-second", description = "Case changes per second across the organisation (default: ${DEFAULT-VALUE}).")
  double changesPerSecond = 10;

  @Option(names = "--fast-poll-ms", description = "The collector's fast-poll interval (default: ${DEFAULT-VALUE}).")
  long fastPollMs = 5_000;

  @Option(names = "--support-calls-per-second", description = "The collector's global Support rate limit; the default "
      + "lets it fast-poll 1,000 accounts in 4 languages every 5 s (default: ${DEFAULT-VALUE}).")
  double supportCallsPerSecond = 1000;

  @Option(names = "--sweep-ms", description = "The collector's sweep interval; a case opened and resolved between two fast "
      + "polls reaches the feed at its account's next sweep (default: ${DEFAULT-VALUE}).")
  long sweepMs = 300_000;

  @Option(names = "--flush-ms", description = "The sink's idle flush and rotation span (default: ${DEFAULT-VALUE}).")
  long flushMs = 5_000;

  @Option(names = "--streams-threads", description = "Stream threads of the stream-processor (default: ${DEFAULT-VALUE}).")
  int streamsThreads = 2;

  @Option(names = "--events", description = "AWS Support's own case events on: local-cloud's EventBridge sends them to an SQS "
      + "queue the collector reads, and the fast poll becomes the net at --net-ms.")
  boolean events;

  @Option(names = "--event-loss", description = "With --events: the share of events EventBridge drops; the net must find "
      + "their changes (default: ${DEFAULT-VALUE}).")
  double eventLoss = 0.10;

  @Option(names = "--event-duplicates", description = "With --events: the share of events sent twice (default: ${DEFAULT-VALUE}).")
  double eventDuplicates = 0.02;

  @Option(names = "--net-ms", description = "With --events: the collector's fast poll while events arrive "
      + "(poll.fast.interval.with-events.ms), which finds what no event announced (default: ${DEFAULT-VALUE}).")
  long netMs = 60_000;

  @Option(names = "--data-dir", description = "Where the run keeps its data (default: a new temporary folder, deleted afterwards).")
  Path dataDir;

  @Spec CommandSpec spec;
  private final SoakPipeline.Launcher pipelines;
  private PrintWriter out;

  /** @param pipelines starts the pipeline under test (the app passes its demo's wiring) */
  protected SoakBenchmark(SoakPipeline.Launcher pipelines) {
    this.pipelines = pipelines;
  }

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    if (minutes <= 0 || accounts < 1 || changesPerSecond <= 0 || supportCallsPerSecond <= 0 || fastPollMs < 1000 || sweepMs < fastPollMs || flushMs < 1 || streamsThreads < 1) {
      spec.commandLine().getErr().println("bench soak: --minutes, --accounts, --changes-per-second, --support-calls-per-second, "
          + "--flush-ms and --streams-threads must be "
          + "positive, --fast-poll-ms at least 1000 and --sweep-ms at least --fast-poll-ms");
      return 2;
    }
    if (eventLoss < 0 || eventLoss > 1 || eventDuplicates < 0 || eventDuplicates > 1 || netMs < 1000) {
      spec.commandLine().getErr().println("bench soak: --event-loss and --event-duplicates must be between 0 and 1, --net-ms at least 1000");
      return 2;
    }
    boolean temporary = dataDir == null;
    Path data = temporary ? Files.createTempDirectory("casefeed-soak-") : dataDir;
    try {
      return run(data);
    } finally {
      if (temporary) {
        deleteRecursively(data);
      }
    }
  }

  private int run(Path data) throws Exception {
    // The lifecycle's base rate is 60 events an hour; the speed makes it the asked rate.
    double speed = changesPerSecond * 60;
    Map<String, String> collectorSettings = new HashMap<>(Map.of(CollectorConfig.RATELIMIT_GLOBAL_PER_SECOND,
        Double.toString(supportCallsPerSecond)));
    if (events) {
      collectorSettings.put(CollectorConfig.POLL_FAST_INTERVAL_WITH_EVENTS_MS, Long.toString(netMs));
    }
    SoakPipeline.Spec pipelineSpec = new SoakPipeline.Spec(data, accounts, speed, fastPollMs, sweepMs,
        events ? new SoakPipeline.Events(true, eventLoss, eventDuplicates) : SoakPipeline.Events.OFF, collectorSettings,
        Map.of(StreamProcessorConfig.NUM_THREADS, Integer.toString(streamsThreads)),
        Map.of(SinkConfig.HISTORY_IDLE_FLUSH_MS, Long.toString(flushMs), SinkConfig.HISTORY_ROTATE_SPAN_MS, Long.toString(flushMs)));
    SoakAccounting accounting = new SoakAccounting();
    Instant started = Instant.now();
    try (SoakPipeline pipeline = pipelines.start(pipelineSpec)) {
      LocalCloud cloud = pipeline.cloud();
      Simulation simulation = cloud.simulation();
      // Still while the collector reads every account for the first time: the backfill is not measured.
      simulation.pause();
      Set<String> readable = new HashSet<>();
      simulation.accounts().stream().filter(a -> a.active() && a.supportPlan() && a.hasRole())
          .map(SimulatedAccount::id).forEach(readable::add);
      out.printf(Locale.ROOT, "soak: %d accounts (%d readable by casefeed), %.1f changes/s, fast poll %d ms, Support limit %.0f calls/s, "
          + "flush %d ms, %d stream threads%n", accounts, readable.size(), changesPerSecond, fastPollMs, supportCallsPerSecond, flushMs,
          streamsThreads);
      if (events) {
        out.printf(Locale.ROOT, "events: on, EventBridge drops %.0f%% and sends %.0f%% twice; the net polls every %d ms%n",
            eventLoss * 100, eventDuplicates * 100, netMs);
      }

      try (FeedWatcher feed = new FeedWatcher(pipeline.kafkaBootstrapServers(), cloud.schemaRegistryUrl(), accounting);
           S3Watcher s3 = new S3Watcher(cloud, pipeline.bucket(), accounting);
           StreamsLag lag = new StreamsLag(pipeline.kafkaBootstrapServers(), pipeline.streamsApplicationId())) {
        feed.start();
        s3.start();
        Duration quiet = Duration.ofMillis(Math.max(3 * fastPollMs, 15_000));
        Instant warmUpEnd = Instant.now().plus(WARM_UP_LIMIT);
        // The feed goes quiet while the stream-processor still works through the first readings'
        // observations (most change nothing); news made then would wait behind them.
        while (!(accounting.feedEvents() > 0 && feed.quietFor().compareTo(quiet) >= 0 && lag.observations() <= WARM_LAG)
            && Instant.now().isBefore(warmUpEnd)) {
          Thread.sleep(1000);
        }
        out.printf(Locale.ROOT, "warm-up: %d s, %d backfill events on the feed, stream-processor %d observations behind%s%n",
            Duration.between(started, Instant.now()).toSeconds(), accounting.feedEvents(), lag.observations(),
            Instant.now().isBefore(warmUpEnd) ? "" : " (limit reached, the first reading had not finished)");

        AtomicBoolean measuring = new AtomicBoolean(true);
        simulation.allCases().forEach((accountId, cases) -> cases.forEach(
            c -> accounting.initially(CaseKeys.of(accountId, c.caseId()), CaseFingerprint.of(c))));
        simulation.onChange((accountId, now, at) -> {
          if (measuring.get() && readable.contains(accountId)) {
            accounting.change(CaseKeys.of(accountId, now.caseId()), CaseFingerprint.of(now), at);
          }
        });
        Instant windowStart = Instant.now();
        long callsAtStart = describeCasesCalls(simulation);
        double missedAtStart = pipeline.counterTotal(CollectorMetrics.EVENTS_MISSED);
        simulation.resume();
        List<Sample> samples = measure(windowStart, accounting, simulation, lag);
        measuring.set(false);
        simulation.pause();
        Instant stoppedAt = Instant.now();
        double windowSeconds = Duration.between(windowStart, stoppedAt).toMillis() / 1000.0;
        long calls = describeCasesCalls(simulation) - callsAtStart;

        Instant drainEnd = stoppedAt.plusMillis(sweepMs).plus(DRAIN_MARGIN);
        while (Instant.now().isBefore(drainEnd) && !drained(accounting.result(stoppedAt, observable()), feed, quiet)) {
          Thread.sleep(2000);
        }
        out.printf(Locale.ROOT, "drain: %d s after the changes stopped%n", Duration.between(stoppedAt, Instant.now()).toSeconds());
        SoakAccounting.Result result = accounting.result(stoppedAt, observable(), announced(cloud));
        // The demo polls in the collector's default languages.
        int languages = ((List<?>) CollectorConfig.DEFINITION.defaultValues().get(CollectorConfig.POLL_LANGUAGES)).size();
        long missed = Math.round(pipeline.counterTotal(CollectorMetrics.EVENTS_MISSED) - missedAtStart);
        report(result, samples, windowSeconds, calls, readable.size(), languages, accounting.rewrittenObjects());
        if (events) {
          reportEvents(result, cloud, missed);
        }
        out.println(lastLine(result, samples, calls, missed));
        return result.lost() == 0 && result.duplicated() == 0 ? 0 : 1;
      }
    }
  }

  /** Everything that had to arrive did, on the feed and in S3, and the feed has gone quiet. */
  private static boolean drained(SoakAccounting.Result result, FeedWatcher feed, Duration quiet) {
    return result.lostOnFeed() == 0 && result.lostInS3() == 0 && feed.quietFor().compareTo(quiet) >= 0;
  }

  /**
   * A state must reach the feed when it lasted two intervals of the poll that guarantees it (the fast
   * poll, or with events the net): one poll of the account is due within one interval, and under load
   * the cycle over a thousand accounts can stretch it. An announced change is held to the same rule:
   * its event may be the one EventBridge dropped.
   */
  private Duration observable() {
    return Duration.ofMillis(2 * (events ? netMs : fastPollMs));
  }

  /** The changes local-cloud's EventBridge sent an event for (at least one copy), by case key and time of change. */
  private static BiPredicate<String, Instant> announced(LocalCloud cloud) {
    Set<String> sent = new HashSet<>();
    for (SupportCaseEvent event : cloud.supportEvents().announced()) {
      if (event.copiesSent() > 0) {
        sent.add(CaseKeys.of(event.accountId(), event.caseId()) + " " + event.time());
      }
    }
    return (caseKey, at) -> sent.contains(caseKey + " " + at);
  }

  private void reportEvents(SoakAccounting.Result result, LocalCloud cloud, long missed) {
    SupportEventBridge bridge = cloud.supportEvents();
    SoakAccounting.Latencies announced = result.announcedFeed();
    SoakAccounting.Latencies all = result.feed();
    out.printf(Locale.ROOT, "events: %d sent to the queue, %d dropped, %d sent twice by EventBridge; changes announced by an "
            + "event: p50 %d ms, p99 %d ms, max %d ms over %d changes (%.0f%% of the %d on the feed); the others, found by the "
            + "net at %d ms, are in the feed latency above; changes the net found that no event announced: %d%n",
        bridge.sent(), bridge.lost(), bridge.duplicated(), announced.p50(), announced.p99(), announced.max(), announced.count(),
        all.count() == 0 ? 0 : 100.0 * announced.count() / all.count(), all.count(), netMs, missed);
  }

  /** Heap and RSS every few seconds while the changes run, with a progress line every minute. */
  private List<Sample> measure(Instant windowStart, SoakAccounting accounting, Simulation simulation, StreamsLag lag)
      throws InterruptedException {
    List<Sample> samples = new ArrayList<>();
    Instant end = windowStart.plusMillis((long) (minutes * 60_000));
    Instant nextProgress = windowStart.plus(Duration.ofMinutes(1));
    while (Instant.now().isBefore(end)) {
      Thread.sleep(Math.min(SAMPLE_EVERY.toMillis(), Math.max(1, Duration.between(Instant.now(), end).toMillis())));
      Sample sample = Sample.now();
      samples.add(sample);
      if (!sample.at().isBefore(nextProgress)) {
        nextProgress = nextProgress.plus(Duration.ofMinutes(1));
        out.printf(Locale.ROOT, "minute %d: changes %d, feed events %d, S3 rows %d, DescribeCases calls %d, stream-processor %d "
                + "observations behind, heap %d MB (live %d MB), RSS %d MB%n",
            Duration.between(windowStart, sample.at()).toMinutes(), accounting.changes(), accounting.feedEvents(),
            accounting.s3Rows(), describeCasesCalls(simulation), lag.observations(), sample.heapMb(), sample.liveHeapMb(),
            sample.rssMb());
      }
    }
    return samples;
  }

  private void report(SoakAccounting.Result result, List<Sample> samples, double windowSeconds, long calls, int readable,
      int languages, long rewritten) {
    double paceNeeded = readable * (double) languages * 1000 / fastPollMs;
    out.printf(Locale.ROOT, "throughput: %.1f changes/s made; %.1f DescribeCases calls/s = %.2f x the pace of one call per "
            + "readable account and language every fast poll (baseline: %d accounts x %d languages / %d ms = %.1f calls/s)%n",
        result.changes() / windowSeconds, calls / windowSeconds, calls / windowSeconds / paceNeeded, readable, languages,
        fastPollMs, paceNeeded);
    SoakAccounting.Latencies feedLatency = result.feed();
    out.printf(Locale.ROOT, "feed latency (change in local-cloud -> event on %s): p50 %d ms, p99 %d ms, max %d ms over %d changes; "
            + "p50 = %.2f fast-poll intervals (baseline: the %d ms interval)%n", Topics.CASE_CHANGES.name(),
        feedLatency.p50(), feedLatency.p99(), feedLatency.max(), feedLatency.count(), feedLatency.p50() / (double) fastPollMs, fastPollMs);
    SoakAccounting.Latencies s3Latency = result.s3();
    out.printf(Locale.ROOT, "S3 latency (change in local-cloud -> row in an S3 history object): p50 %d ms, p99 %d ms, max %d ms; "
            + "p50 = %.2f x (fast poll + flush) (baseline: %d ms)%n", s3Latency.p50(), s3Latency.p99(), s3Latency.max(),
        s3Latency.p50() / (double) (fastPollMs + flushMs), fastPollMs + flushMs);
    int quarter = Math.max(1, samples.size() / 4);
    List<Sample> first = samples.subList(0, Math.min(quarter, samples.size()));
    List<Sample> last = samples.subList(Math.max(0, samples.size() - quarter), samples.size());
    long liveFirst = max(first, Sample::liveHeapMb);
    long liveLast = max(last, Sample::liveHeapMb);
    long rssFirst = max(first, Sample::rssMb);
    long rssLast = max(last, Sample::rssMb);
    out.printf(Locale.ROOT, "memory: live heap after GC first quarter max %d MB, last quarter max %d MB (x%.2f); "
            + "RSS first quarter max %d MB, last quarter max %d MB (x%.2f)%n", liveFirst, liveLast, ratio(liveLast, liveFirst),
        rssFirst, rssLast, ratio(rssLast, rssFirst));
    out.printf(Locale.ROOT, "checked: %d changes, %d lasted %d ms or more and had to arrive; lost on the feed %d, feed events "
            + "missing from S3 %d, duplicated %d (S3 objects rewritten under their own key by a replaying sink: %d)%n",
        result.changes(), result.required(), observable().toMillis(), result.lostOnFeed(), result.lostInS3(), result.duplicated(),
        rewritten);
    result.examples().forEach(example -> out.println("  " + example));
  }

  /** The machine-readable last line; the DescribeCases calls per change compare a polling run with an events run. */
  private String lastLine(SoakAccounting.Result result, List<Sample> samples, long calls, long missed) {
    String line = String.format(Locale.ROOT, "bench soak: minutes=%s accounts=%d changes=%d lost=%d duplicated=%d p99_feed_ms=%d "
            + "p99_s3_ms=%d max_rss_mb=%d events=%s", minutesText(), accounts, result.changes(), result.lost(), result.duplicated(),
        result.feed().p99(), result.s3().p99(), max(samples, Sample::rssMb), events ? "on" : "off");
    if (events) {
      line += String.format(Locale.ROOT, " p99_event_feed_ms=%d", result.announcedFeed().p99());
    }
    line += String.format(Locale.ROOT, " api_calls_per_change=%.2f", result.changes() == 0 ? 0 : calls / (double) result.changes());
    if (events) {
      line += " missed_events=" + missed;
    }
    return line;
  }

  private String minutesText() {
    return minutes == Math.rint(minutes) ? Long.toString((long) minutes) : Double.toString(minutes);
  }

  private static long max(List<Sample> samples, java.util.function.ToLongFunction<Sample> value) {
    return samples.stream().mapToLong(value).max().orElse(0);
  }

  private static double ratio(long later, long earlier) {
    return earlier == 0 ? 0 : later / (double) earlier;
  }

  private static long describeCasesCalls(Simulation simulation) {
    return simulation.callCounts().entrySet().stream().filter(e -> e.getKey().startsWith("Support.DescribeCases:"))
        .mapToLong(Map.Entry::getValue).sum();
  }

  /** One reading of this JVM's memory: heap in use, heap still live after the last collection, resident set. */
  record Sample(Instant at, long heapMb, long liveHeapMb, long rssMb) {
    static Sample now() {
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      long live = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
          live += pool.getCollectionUsage().getUsed();
        }
      }
      return new Sample(Instant.now(), heap >> 20, live >> 20, rssKb() >> 10);
    }

    private static long rssKb() {
      try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
        return lines.filter(line -> line.startsWith("VmRSS:")).findFirst()
            .map(line -> Long.parseLong(line.replaceAll("[^0-9]", ""))).orElse(0L);
      } catch (IOException | RuntimeException e) {
        // Not Linux: the figure is reported as 0 rather than guessed.
        return 0;
      }
    }
  }

  /** How many observations the stream-processor's group has not yet committed, from the broker's offsets. */
  private static final class StreamsLag implements AutoCloseable {
    private final Admin admin;
    private final String applicationId;

    StreamsLag(String bootstrapServers, String applicationId) {
      this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
      this.applicationId = applicationId;
    }

    long observations() {
      try {
        String topic = Topics.CASE_OBSERVATIONS.name();
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
            .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
            .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        long behind = 0;
        for (var end : admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet()) {
          OffsetAndMetadata done = committed.get(end.getKey());
          behind += end.getValue().offset() - (done == null ? 0 : done.offset());
        }
        return behind;
      } catch (ExecutionException | TimeoutException e) {
        return Long.MAX_VALUE;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Long.MAX_VALUE;
      }
    }

    @Override
    public void close() {
      admin.close(Duration.ofSeconds(10));
    }
  }

  /** Reads casefeed.case-changes as a downstream consumer does (read_committed) and notes when each event arrived. */
  private static final class FeedWatcher implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final AvroSerde<CaseChange> changes;
    private final SoakAccounting accounting;
    private final Thread thread = new Thread(this::consume, "soak-feed-watcher");
    private volatile Instant lastEvent = Instant.now();
    private volatile boolean running = true;

    FeedWatcher(String bootstrapServers, String registryUrl, SoakAccounting accounting) {
      Properties settings = new Properties();
      settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      this.consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
      this.changes = new AvroSerde<>(CaseChange.class, new HttpSchemaRegistryClient(registryUrl));
      this.accounting = accounting;
    }

    void start() {
      String topic = Topics.CASE_CHANGES.name();
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofMinutes(1)).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      thread.setDaemon(true);
      thread.start();
    }

    Duration quietFor() {
      return Duration.between(lastEvent, Instant.now());
    }

    private void consume() {
      try {
        while (running) {
          var records = consumer.poll(Duration.ofMillis(200));
          Instant receivedAt = Instant.now();
          for (ConsumerRecord<String, byte[]> record : records) {
            CaseChange change = changes.deserialize(record.topic(), record.value());
            accounting.feedEvent(record.key(), new SoakAccounting.FeedEvent(change.getEventId(), change.getVersion(),
                CaseFingerprint.of(change.getCurrent()), change.getObservedAt(), receivedAt));
          }
          if (!records.isEmpty()) {
            lastEvent = receivedAt;
          }
        }
      } catch (WakeupException e) {
        // Closing.
      }
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      consumer.wakeup();
      thread.join(10_000);
      consumer.close();
    }
  }

  /**
   * Lists the CSV change history every second and reads each new object once: the first listing that
   * shows an object is when its rows became visible to Athena.
   */
  private static final class S3Watcher implements AutoCloseable {
    private final S3Client s3;
    private final String bucket;
    private final SoakAccounting accounting;
    private final Map<String, String> etags = new HashMap<>();
    private final Thread thread = new Thread(this::watch, "soak-s3-watcher");
    private volatile boolean running = true;

    S3Watcher(LocalCloud cloud, String bucket, SoakAccounting accounting) {
      this.bucket = bucket;
      this.s3 = S3Client.builder().endpointOverride(cloud.s3Endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(cloud.accessKeyId(), cloud.secretAccessKey())))
          .build();
      this.accounting = accounting;
    }

    void start() {
      thread.setDaemon(true);
      thread.start();
    }

    private void watch() {
      while (running) {
        try {
          Instant listedAt = Instant.now();
          Map<String, String> listed = new HashMap<>();
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(HISTORY_CSV_PREFIX)).contents()
              .forEach(object -> listed.put(object.key(), object.eTag()));
          for (var object : listed.entrySet()) {
            // An object listed while the store still writes it can have no ETag yet: the next listing reads it.
            if (object.getValue() != null && !object.getValue().equals(etags.get(object.getKey()))) {
              accounting.s3Object(object.getKey(), eventIds(object.getKey()), listedAt);
              etags.put(object.getKey(), object.getValue());
            }
          }
          for (String gone : etags.keySet().stream().filter(key -> !listed.containsKey(key)).toList()) {
            accounting.s3ObjectGone(gone);
            etags.remove(gone);
          }
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        } catch (NoSuchKeyException e) {
          // Listed, then replaced or removed before it could be read: the next listing tells.
        } catch (RuntimeException | IOException e) {
          if (running) {
            System.err.println("soak: reading S3 failed, retrying: " + e);
          }
        }
      }
    }

    /** The history CSV's first column is the event id; line breaks inside values are written as spaces. */
    private List<String> eventIds(String key) throws IOException {
      List<String> ids = new ArrayList<>();
      try (var body = s3.getObject(b -> b.bucket(bucket).key(key));
           BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          String eventId = firstField(line);
          if (!eventId.isEmpty() && !eventId.equals("event-id")) {
            ids.add(eventId);
          }
        }
      }
      return ids;
    }

    static String firstField(String line) {
      if (line.startsWith("\"")) {
        int close = line.indexOf('"', 1);
        return close < 0 ? line.substring(1) : line.substring(1, close);
      }
      int comma = line.indexOf(',');
      return comma < 0 ? line : line.substring(0, comma);
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.interrupt();
      thread.join(10_000);
      s3.close();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
