package io.casefeed.bench.cost;

import io.casefeed.common.aws.AwsSettings;
import io.casefeed.bench.process.ComponentProcess;
import io.casefeed.collector.Collector;
import io.casefeed.collector.config.CollectorConfig;
import io.casefeed.common.config.CommonConfig;
import io.casefeed.kafka.embedded.EmbeddedKafkaBroker;
import io.casefeed.localcloud.LocalCloud;
import io.casefeed.localcloud.LocalCloudOptions;
import io.casefeed.schemas.TopicSpec;
import io.casefeed.schemas.Topics;
import io.casefeed.sink.config.SinkConfig;
import io.casefeed.streams.config.StreamProcessorConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code casefeed bench cost}: what each component costs at a given organisation size. The broker and
 * local-cloud (with the simulated organisation) run in this JVM; each component runs in a JVM of its own
 * with a container's memory ergonomics ({@code -XX:MaxRAM} = the container limit), started by the fault
 * suite's {@link ComponentProcess}. Every sample reads RSS and CPU time from /proc and the live heap from
 * jcmd after a full GC. The baseline is an idle JVM with the same options, measured in the same run.
 */
@Command(name = "cost", mixinStandardHelpOptions = true,
    description = "Runs each component in its own JVM against a simulated organisation and prints RSS, live heap and CPU "
        + "per 1,000 observations for each, next to an idle JVM's.")
public class ComponentCostBenchmark implements Callable<Integer> {

  static final String BUCKET = "casefeed-cost";
  static final String PREFIX = "cost.";

  /** The components, their main classes and the container memory they are sized for (MB). */
  enum Component {
    COLLECTOR("collector", "io.casefeed.collector.cli.CollectorCommand", 512),
    STREAMS("streams", "io.casefeed.streams.cli.StreamsCommand", 1024),
    SINK("sink", "io.casefeed.sink.cli.SinkCommand", 768),
    NOTIFIER("notifier", "io.casefeed.notifier.cli.NotifierCommand", 512);

    final String label;
    final String mainClass;
    final int containerMb;

    Component(String label, String mainClass, int containerMb) {
      this.label = label;
      this.mainClass = mainClass;
      this.containerMb = containerMb;
    }
  }

  @Option(names = "--accounts", description = "Accounts of the simulated organisation (default: ${DEFAULT-VALUE}).")
  int accounts = 1000;

  @Option(names = "--minutes", description = "Minutes measured after the warm-up (default: ${DEFAULT-VALUE}).")
  double minutes = 10;

  @Option(names = "--warm-up-seconds", description = "Seconds between start and the first sample: the first sweep of "
      + "every account and the JIT settle (default: ${DEFAULT-VALUE}).")
  int warmUpSeconds = 180;

  @Option(names = "--sample-seconds", description = "Seconds between samples; each forces a full GC in every JVM to read "
      + "its live heap (default: ${DEFAULT-VALUE}).")
  int sampleSeconds = 60;

  @Option(names = "--changes-per-second", description = "Case changes per second across the organisation (default: ${DEFAULT-VALUE}).")
  double changesPerSecond = 2;

  @Option(names = "--fast-poll-ms", description = "The collector's fast poll (default: ${DEFAULT-VALUE}, the production default).")
  long fastPollMs = 60_000;

  @Option(names = "--max-ram-percentage", description = "Heap as a share of the container memory, as the image sets it "
      + "(default: ${DEFAULT-VALUE}).")
  int maxRamPercentage = 50;

  @Option(names = "--container-mb", paramLabel = "COMPONENT=MB", description = "A component's container memory instead of "
      + "its default (collector=512, streams=1024, sink=768, notifier=512), e.g. --container-mb notifier=768.")
  Map<String, Integer> containerMbOverrides = new LinkedHashMap<>();

  @Option(names = "--data-dir", description = "Where the run keeps its data and the components' logs (default: a new temporary folder).")
  Path dataDir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (accounts < 1 || minutes <= 0 || warmUpSeconds < 0 || sampleSeconds < 1 || changesPerSecond <= 0 || maxRamPercentage < 1
        || maxRamPercentage > 100 || fastPollMs < 1000) {
      spec.commandLine().getErr().println("bench cost: --accounts, --minutes, --sample-seconds and --changes-per-second must be "
          + "positive, --warm-up-seconds at least 0, --max-ram-percentage 1..100, --fast-poll-ms at least 1000");
      return 2;
    }
    Path data = dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory("casefeed-cost-");
    out.printf(Locale.ROOT, "cost: %d accounts, %.1f changes/s, fast poll %d ms, %d s warm-up, %.1f min measured, a sample "
        + "every %d s; heap = %d%% of the container memory; data and logs in %s%n", accounts, changesPerSecond, fastPollMs,
        warmUpSeconds, minutes, sampleSeconds, maxRamPercentage, data);
    out.printf(Locale.ROOT, "cost: %d CPUs, java %s; the machine may be shared: CPU times are the processes' own, not wall time%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    out.flush();
    String classPath = System.getProperty("java.class.path");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create(data.resolve("kafka"), 0).start();
         LocalCloud cloud = LocalCloud.start(LocalCloudOptions.builder().dataDir(data.resolve("local-cloud"))
             .accounts(accounts).seed(7L).speed(changesPerSecond * 60).build());
         FeedCounter feed = new FeedCounter(broker.bootstrapServers(), PREFIX + Topics.CASE_OBSERVATIONS.name(),
             PREFIX + Topics.CASE_CHANGES.name())) {
      createTopics(broker);
      createBucket(cloud);
      Map<Component, Map<String, String>> settings = settings(broker.bootstrapServers(), cloud, data);
      List<Measured> measured = new ArrayList<>();
      try {
        measured.add(new Measured("idle JVM", new ComponentProcess("idle", classPath, jvmOptions(512), IdleJvm.class.getName(),
            List.of(), data)));
        for (Component component : Component.values()) {
          Path config = write(data.resolve(component.label + ".properties"), settings.get(component));
          int containerMb = containerMbOverrides.getOrDefault(component.label, component.containerMb);
          measured.add(new Measured(component.label, new ComponentProcess(component.label, classPath, jvmOptions(containerMb),
              component.mainClass, List.of("--config", config.toString()), data), containerMb));
        }
        measured.forEach(m -> m.process().start());
        awaitWhileAlive(measured, Duration.ofSeconds(warmUpSeconds));
        ProcessSampler sampler = new ProcessSampler();
        feed.start();
        Instant start = Instant.now();
        FeedCounter.Counts startCounts = feed.counts();
        measured.forEach(m -> m.begin(sampler));
        Instant end = start.plus(Duration.ofMillis((long) (minutes * 60_000)));
        int sample = 0;
        while (Instant.now().isBefore(end)) {
          try {
            awaitWhileAlive(measured, Duration.ofSeconds(sampleSeconds));
          } catch (IllegalStateException exited) {
            // What was measured until then is the finding (e.g. the heap it ran out of): report it, then fail.
            out.println("cost: " + exited.getMessage() + "; the figures below stop there");
            FeedCounter.Counts now = feed.counts();
            report(out, measured, Duration.between(start, Instant.now()), now.observations() - startCounts.observations(),
                now.changes() - startCounts.changes());
            return 1;
          }
          sample++;
          FeedCounter.Counts now = feed.counts();
          measured.forEach(m -> m.sample(sampler));
          out.printf(Locale.ROOT, "cost: sample %d at %ds: %d observations, %d changes; RSS MB %s%n", sample,
              Duration.between(start, Instant.now()).toSeconds(), now.observations() - startCounts.observations(),
              now.changes() - startCounts.changes(), measured.stream().map(m -> m.name() + "=" + m.lastRssMb()).toList());
          out.flush();
        }
        FeedCounter.Counts endCounts = feed.counts();
        report(out, measured, Duration.between(start, Instant.now()), endCounts.observations() - startCounts.observations(),
            endCounts.changes() - startCounts.changes());
        return 0;
      } finally {
        measured.forEach(m -> m.process().close());
      }
    }
  }

  /** The container's memory ergonomics: MaxRAM stands in for the cgroup limit; serial GC is what a JVM picks below 1792 MB. */
  private List<String> jvmOptions(int containerMb) {
    return List.of("-XX:MaxRAM=" + containerMb + "m", "-XX:MaxRAMPercentage=" + maxRamPercentage, "-XX:+UseSerialGC");
  }

  private void report(PrintWriter out, List<Measured> measured, Duration window, long observations, long changes) {
    double seconds = window.toMillis() / 1000.0;
    out.printf(Locale.ROOT, "%ncost: %.0f s measured, %d accounts: %d observations (%.1f/s), %d changes (%.2f/s)%n", seconds,
        accounts, observations, observations / seconds, changes, changes / seconds);
    Measured idle = measured.get(0);
    out.printf(Locale.ROOT, "%-10s %9s %8s %8s %8s %9s %9s %9s %8s %7s %12s %9s %s%n", "component", "container", "max heap",
        "RSS avg", "RSS max", "RSS grow", "live avg", "live max", "live grow", "CPU %", "CPU ms/1k obs", "RSS/idle", "OOM");
    for (Measured m : measured) {
      Measured.Summary s = m.summary();
      out.printf(Locale.ROOT, "%-10s %9s %8s %8d %8d %+9d %9d %9d %+9d %7.1f %12s %9.1f %s%n", m.name(),
          m.containerMb() > 0 ? m.containerMb() + " MB" : "-", maxHeapMb(m.containerMb() > 0 ? m.containerMb() : 512) + " MB",
          s.rssAvgMb(), s.rssMaxMb(), s.rssGrowthMb(), s.liveAvgMb(), s.liveMaxMb(), s.liveGrowthMb(),
          100.0 * s.cpuMillis() / window.toMillis(),
          observations > 0 ? String.format(Locale.ROOT, "%.0f", s.cpuMillis() * 1000.0 / observations) : "-",
          (double) s.rssAvgMb() / Math.max(1, idle.summary().rssAvgMb()), outOfMemory(m.process()) ? "yes" : "no");
    }
    out.println("(MB; grow = mean of the last third of the samples minus the first third; CPU % of one core over the window; "
        + "the idle JVM is the baseline, same options as a 512 MB container)");
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "bench cost: accounts=%d seconds=%.0f observations=%d",
        accounts, seconds, observations));
    for (Measured m : measured.subList(1, measured.size())) {
      Measured.Summary s = m.summary();
      line.append(String.format(Locale.ROOT, " %s_rss_max_mb=%d %s_live_max_mb=%d %s_cpu_ms_per_1k_obs=%s", m.name(), s.rssMaxMb(),
          m.name(), s.liveMaxMb(), m.name(), observations > 0 ? Long.toString(s.cpuMillis() * 1000 / observations) : "-"));
      line.append(" ").append(m.name()).append("_oom=").append(outOfMemory(m.process()));
    }
    out.println(line);
    out.flush();
  }

  /** A component whose thread died of OutOfMemoryError may stay up: its log says so. */
  private static boolean outOfMemory(ComponentProcess process) {
    try (Stream<String> lines = Files.lines(process.stderr())) {
      return lines.anyMatch(line -> line.contains("java.lang.OutOfMemoryError"));
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  private long maxHeapMb(int containerMb) {
    return (long) containerMb * maxRamPercentage / 100;
  }

  /** Sleeps for {@code span} (the bench's own pacing), failing early when a component died. */
  private static void awaitWhileAlive(List<Measured> measured, Duration span) throws InterruptedException {
    Instant until = Instant.now().plus(span);
    while (Instant.now().isBefore(until)) {
      for (Measured m : measured) {
        if (!m.process().isAlive()) {
          throw new IllegalStateException(m.name() + " exited; see " + m.process().stderr());
        }
      }
      Thread.sleep(Math.min(1000, Math.max(1, Duration.between(Instant.now(), until).toMillis())));
    }
  }

  private static void createTopics(EmbeddedKafkaBroker broker) {
    List<NewTopic> topics = Stream.of(Topics.ALL, Collector.OWN_TOPICS, io.casefeed.notifier.Notifier.OWN_TOPICS).flatMap(List::stream)
        .map(spec -> new NewTopic(PREFIX + spec.name(), spec.defaultPartitions(), (short) 1).configs(spec.topicConfigs()))
        .toList();
    broker.createNewTopics(topics);
  }

  private static void createBucket(LocalCloud cloud) {
    try (S3Client s3 = S3Client.builder().endpointOverride(cloud.s3Endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(cloud.accessKeyId(), cloud.secretAccessKey())))
        .build()) {
      s3.createBucket(b -> b.bucket(BUCKET));
    }
  }

  /** Production defaults wherever they make sense at this size; only the endpoints and credentials point at local-cloud. */
  private Map<Component, Map<String, String>> settings(String bootstrap, LocalCloud cloud, Path data) {
    Map<String, String> shared = new LinkedHashMap<>();
    shared.put(CommonConfig.BOOTSTRAP_SERVERS, bootstrap);
    shared.put(CommonConfig.SCHEMA_REGISTRY_URL, cloud.schemaRegistryUrl());
    shared.put(CommonConfig.TOPIC_PREFIX, PREFIX);
    shared.put(CommonConfig.TOPIC_REPLICATION_FACTOR, "1");
    shared.put(CommonConfig.TOPIC_CREATE, "false");
    Map<Component, Map<String, String>> all = new LinkedHashMap<>();

    Map<String, String> collector = new LinkedHashMap<>(shared);
    collector.put(CollectorConfig.ACCOUNTS_ORGANIZATIONS_ENABLED, "true");
    collector.put(CollectorConfig.AWS_ENDPOINT_OVERRIDE, cloud.awsEndpoint().toString());
    collector.put(CollectorConfig.AWS_ACCESS_KEY_ID, cloud.accessKeyId());
    collector.put(CollectorConfig.AWS_SECRET_ACCESS_KEY, cloud.secretAccessKey());
    collector.put(CollectorConfig.POLL_FAST_INTERVAL_MS, Long.toString(fastPollMs));
    collector.put(CollectorConfig.COLLECTOR_ID, "cost-collector");
    all.put(Component.COLLECTOR, collector);

    Map<String, String> streams = new LinkedHashMap<>(shared);
    streams.put(StreamProcessorConfig.APPLICATION_ID, PREFIX + "streams");
    streams.put(StreamProcessorConfig.STATE_DIR, data.resolve("streams-state").toString());
    streams.put(StreamProcessorConfig.QUERY_PORT, Integer.toString(freePort()));
    all.put(Component.STREAMS, streams);

    Map<String, String> sink = new LinkedHashMap<>(shared);
    sink.put(SinkConfig.S3_BUCKET, BUCKET);
    sink.put(SinkConfig.S3_PREFIX, "casefeed");
    sink.put(SinkConfig.S3_ENDPOINT, cloud.s3Endpoint().toString());
    sink.put(SinkConfig.S3_PATH_STYLE, "true");
    sink.put(SinkConfig.S3_ACCESS_KEY_ID, cloud.accessKeyId());
    sink.put(SinkConfig.S3_SECRET_ACCESS_KEY, cloud.secretAccessKey());
    sink.put(SinkConfig.HISTORY_FORMATS, "parquet,csv");
    all.put(Component.SINK, sink);

    Map<String, String> notifier = new LinkedHashMap<>(shared);
    notifier.put("notifier.from", "casefeed@example.com");
    notifier.put("notifier.groups", "ops");
    notifier.put("notifier.group.ops.recipients", "ops@example.com");
    notifier.put(AwsSettings.endpointOverrideKey("ses"), cloud.awsEndpoint().toString());
    notifier.put(AwsSettings.ACCESS_KEY_ID, cloud.accessKeyId());
    notifier.put(AwsSettings.SECRET_ACCESS_KEY, cloud.secretAccessKey());
    all.put(Component.NOTIFIER, notifier);
    return all;
  }

  private static Path write(Path file, Map<String, String> settings) throws IOException {
    Properties properties = new Properties();
    properties.putAll(settings);
    try (Writer writer = Files.newBufferedWriter(file)) {
      properties.store(writer, "bench cost");
    }
    return file;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One measured JVM and its samples. */
  static final class Measured {
    private final String name;
    private final ComponentProcess process;
    private final int containerMb;
    private final List<Long> rss = new ArrayList<>();
    private final List<Long> live = new ArrayList<>();
    private long cpuAtStart;
    private long cpuLast;

    Measured(String name, ComponentProcess process) {
      this(name, process, 0);
    }

    Measured(String name, ComponentProcess process, int containerMb) {
      this.name = name;
      this.process = process;
      this.containerMb = containerMb;
    }

    String name() {
      return name;
    }

    ComponentProcess process() {
      return process;
    }

    int containerMb() {
      return containerMb;
    }

    void begin(ProcessSampler sampler) {
      cpuAtStart = sampler.cpuMillis(process.pid()).orElse(0);
      cpuLast = cpuAtStart;
    }

    void sample(ProcessSampler sampler) {
      long pid = process.pid();
      sampler.rssBytes(pid).ifPresent(rss::add);
      sampler.liveHeapBytes(pid).ifPresent(live::add);
      // After the forced GC, so the window's CPU includes what the sampling itself cost.
      sampler.cpuMillis(pid).ifPresent(cpu -> cpuLast = cpu);
    }

    long lastRssMb() {
      return rss.isEmpty() ? 0 : rss.get(rss.size() - 1) >> 20;
    }

    record Summary(long rssAvgMb, long rssMaxMb, long rssGrowthMb, long liveAvgMb, long liveMaxMb, long liveGrowthMb, long cpuMillis) {}

    Summary summary() {
      return new Summary(avg(rss) >> 20, max(rss) >> 20, growth(rss) >> 20, avg(live) >> 20, max(live) >> 20, growth(live) >> 20,
          cpuLast - cpuAtStart);
    }

    private static long avg(List<Long> values) {
      return values.isEmpty() ? 0 : (long) values.stream().mapToLong(Long::longValue).average().orElse(0);
    }

    private static long max(List<Long> values) {
      return values.stream().max(Comparator.naturalOrder()).orElse(0L);
    }

    private static long growth(List<Long> values) {
      int third = values.size() / 3;
      if (third == 0) {
        return 0;
      }
      return avg(values.subList(values.size() - third, values.size())) - avg(values.subList(0, third));
    }
  }
}
