package io.casefeed.app.demo;

import io.casefeed.common.aws.AwsSettings;
import io.casefeed.collector.Collector;
import io.casefeed.collector.aws.AwsClients;
import io.casefeed.collector.config.CollectorConfig;
import io.casefeed.common.config.CommonConfig;
import io.casefeed.common.http.WebReply;
import io.casefeed.common.ops.OpsServer;
import io.casefeed.kafka.embedded.EmbeddedKafkaBroker;
import io.casefeed.localcloud.LocalCloud;
import io.casefeed.localcloud.LocalCloudOptions;
import io.casefeed.localcloud.Scenario;
import io.casefeed.localcloud.events.EventDelivery;
import io.casefeed.localcloud.webhook.WebhookReceiver;
import io.casefeed.common.time.Sleeper;
import io.casefeed.notifier.Notifier;
import io.casefeed.notifier.config.NotifierConfig;
import io.casefeed.notifier.delivery.SesClients;
import io.casefeed.notifier.delivery.SesMailSender;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.casefeed.schemas.registry.SchemaRegistryClient;
import io.casefeed.sink.S3Sink;
import io.casefeed.sink.config.SinkConfig;
import io.casefeed.streams.CaseStreamsApp;
import io.casefeed.streams.config.StreamProcessorConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * The whole pipeline in one JVM on a laptop: a real Kafka broker, local-cloud with a simulated
 * organisation, and collector, stream-processor, sink-s3 and notifier wired exactly as they run in
 * production, only with local endpoints and short intervals. Everything lives under one data folder,
 * so a second start resumes: the same organisation, the same topics, no duplicate object or mail.
 */
public final class Demo implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
  /** The bucket name {@code casefeed query} assumes by default. */
  public static final String BUCKET = "casefeed";
  public static final String DIGEST_RECIPIENT = "support-leads@example.com";
  public static final String SENDER = "casefeed@example.com";
  /** Where the notifier posts alerts on the demo's local Slack, and the channel it names. */
  public static final String SLACK_PATH = "/slack" + WebhookReceiver.CHAT_POST_MESSAGE;
  /** Where the notifier posts Adaptive Cards on the demo's local Teams (a Workflows webhook), on the same receiver. */
  public static final String TEAMS_PATH = "/teams/workflows/casefeed-alerts";
  public static final String SLACK_CHANNEL = "casefeed-alerts";
  /** The stream-processor's application id, also its consumer group. */
  public static final String STREAMS_APPLICATION_ID = "casefeed-demo-streams";

  /** What the demo runs with; the defaults are those of {@code casefeed demo}. */
  public record Options(Path dataDir, int accounts, double speed, int httpPort, int kafkaPort, int awsPort,
                        int s3Port, int registryPort, long seed, long fastPollMs, long sweepMs, String digestSchedule,
                        long snapshotMs) {
    public static Options defaults(Path dataDir) {
      return new Options(dataDir, 25, 60.0, 8080, 9092, 4566, 4567, 8081, 7L, 15_000, 120_000, "every 5m", 60_000);
    }
  }

  /** The parts of the pipeline whose settings a caller may override. */
  public enum Component { COLLECTOR, STREAMS, SINK, NOTIFIER }

  private final Options options;
  private final Map<Component, Map<String, String>> overrides = new EnumMap<>(Component.class);
  private Scenario scenario;
  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private final Clock clock = Clock.systemUTC();
  private EmbeddedKafkaBroker broker;
  private LocalCloud cloud;
  private CaseStreamsApp streams;
  private Collector collector;
  private OpsServer ops;
  private final PrometheusMeterRegistry meters = OpsServer.newRegistry();
  private boolean events;
  private DemoEventsQueue.Urls eventsQueue;
  private WebhookReceiver slack;

  public Demo(Options options) {
    this.options = options;
  }

  /**
   * Runs the demo on this organisation instead of the default one (its size, seed and speed still
   * come from the options); its credentials and ExternalId are the ones the pipeline uses.
   */
  public Demo withScenario(Scenario organisation) {
    this.scenario = organisation;
    return this;
  }

  /**
   * Turns AWS Support events on: local-cloud's EventBridge sends every case change to an SQS queue
   * (with its dead-letter queue) that the collector reads, and the fast poll becomes the net.
   */
  public Demo withEvents() {
    this.events = true;
    return this;
  }

  /** Settings of one component that replace or add to the demo's own, e.g. the benchmark's flush interval. */
  public Demo withSettings(Component component, Map<String, String> settings) {
    overrides.computeIfAbsent(component, c -> new LinkedHashMap<>()).putAll(settings);
    return this;
  }

  public Demo start() {
    try {
      DataFolder.prepare(options.dataDir());
      broker = EmbeddedKafkaBroker.create(options.dataDir().resolve("kafka"), options.kafkaPort()).start();
      running.push(broker);
      LocalCloudOptions.Builder cloudOptions = LocalCloudOptions.builder()
          .port(options.awsPort()).s3Port(options.s3Port()).schemaRegistryPort(options.registryPort())
          .dataDir(options.dataDir().resolve("local-cloud"))
          .accounts(options.accounts()).seed(options.seed()).speed(options.speed());
      if (scenario != null) {
        cloudOptions.scenario(scenario);
      }
      cloud = LocalCloud.start(cloudOptions.build());
      running.push(cloud);
      // A local Slack: alerts are posted with chat.postMessage as to Slack, and listed at /_receiver/posts.
      slack = WebhookReceiver.start("127.0.0.1", 0, options.dataDir().resolve("slack"), clock, Sleeper.SYSTEM);
      running.push(slack);
      createBucket();
      if (events) {
        eventsQueue = DemoEventsQueue.create(cloud);
        cloud.supportEvents().configure(EventDelivery.to(eventsQueue.queue(), Duration.ZERO));
      }
      SchemaRegistryClient registry = new HttpSchemaRegistryClient(cloud.schemaRegistryUrl());

      streams = new CaseStreamsApp(StreamProcessorConfig.load(null, Map.of(), streamsSettings()), registry, clock, meters)
          // One process, one registry: every component's meters on the dashboard server's /metrics.
          .routes(routes -> routes.get("/metrics", request ->
              WebReply.of(200, "text/plain; version=0.0.4; charset=utf-8", meters.scrape())))
          .start();
      running.push(streams);
      S3Sink sink = S3Sink.create(SinkConfig.load(null, Map.of(), sinkSettings()), clock, meters).start();
      running.push(sink);
      NotifierConfig notifierConfig = NotifierConfig.load(null, Map.of(), notifierSettings());
      var ses = SesClients.fromConfig(notifierConfig);
      running.push(ses);
      Notifier notifier = new Notifier(notifierConfig, clock, registry, new SesMailSender(ses, null), meters);
      notifier.start();
      running.push(notifier);
      CollectorConfig collectorConfig = CollectorConfig.load(null, Map.of(), collectorSettings());
      AwsClients aws = new AwsClients(collectorConfig);
      running.push(aws);
      collector = new Collector(collectorConfig, clock, registry, aws, meters);
      collector.start();
      running.push(collector);
      return this;
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The {@code name: value} lines the demo prints, in order. */
  public Map<String, String> endpoints() {
    Map<String, String> lines = new LinkedHashMap<>();
    lines.put("dashboard", streams.queryUrl() + "/");
    lines.put("metrics", streams.queryUrl() + "/metrics");
    lines.put("kafka", broker.bootstrapServers());
    lines.put("aws", cloud.awsEndpoint().toString());
    lines.put("s3", cloud.s3Endpoint() + " " + BUCKET);
    lines.put("schema-registry", cloud.schemaRegistryUrl());
    if (eventsQueue != null) {
      lines.put("events", eventsQueue.queue() + " (dead letters: " + eventsQueue.deadLetterQueue() + ")");
    }
    lines.put("outbox", cloud.outboxDir().toString());
    lines.put("slack", slack.url("/_receiver/posts") + " (alerts and digests posted to #" + SLACK_CHANNEL
        + "; Teams cards to " + TEAMS_PATH + ")");
    lines.put("data", options.dataDir().toAbsolutePath().toString());
    return lines;
  }

  /** local-cloud's Slack: the alerts the demo posted to {@link #SLACK_PATH}. */
  public WebhookReceiver slack() {
    return slack;
  }

  /** The embedded broker's address. */
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  public LocalCloud cloud() {
    return cloud;
  }

  public CaseStreamsApp streams() {
    return streams;
  }

  public PrometheusMeterRegistry meters() {
    return meters;
  }

  private Map<String, String> common() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(CommonConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
    settings.put(CommonConfig.SCHEMA_REGISTRY_URL, cloud.schemaRegistryUrl());
    settings.put(CommonConfig.TOPIC_REPLICATION_FACTOR, "1");
    return settings;
  }

  private Map<String, String> collectorSettings() {
    Map<String, String> s = common();
    s.put(CollectorConfig.ACCOUNTS_ORGANIZATIONS_ENABLED, "true");
    s.put(CollectorConfig.AWS_ENDPOINT_OVERRIDE, cloud.awsEndpoint().toString());
    s.put(CollectorConfig.AWS_ACCESS_KEY_ID, cloud.accessKeyId());
    s.put(CollectorConfig.AWS_SECRET_ACCESS_KEY, cloud.secretAccessKey());
    s.put(CollectorConfig.POLL_FAST_INTERVAL_MS, Long.toString(options.fastPollMs()));
    s.put(CollectorConfig.POLL_SWEEP_INTERVAL_MS, Long.toString(options.sweepMs()));
    s.put(CollectorConfig.ACCOUNTS_REFRESH_INTERVAL_MS, "60000");
    s.put(CollectorConfig.COLLECTOR_ID, "demo-collector");
    if (eventsQueue != null) {
      s.put(CollectorConfig.EVENTS_QUEUE_URL, eventsQueue.queue());
      s.put(CollectorConfig.AWS_SQS_ENDPOINT_OVERRIDE, cloud.sqsEndpoint().toString());
      // The net: slower than the demo's fast poll, quick enough to watch it catch what no event announced.
      s.put(CollectorConfig.POLL_FAST_INTERVAL_WITH_EVENTS_MS, Long.toString(4 * options.fastPollMs()));
    }
    if (scenario != null && scenario.externalId() != null) {
      s.put(CollectorConfig.ROLE_EXTERNAL_ID, scenario.externalId());
    }
    s.putAll(overrides.getOrDefault(Component.COLLECTOR, Map.of()));
    return s;
  }

  private Map<String, String> streamsSettings() {
    Map<String, String> s = common();
    s.put(StreamProcessorConfig.APPLICATION_ID, STREAMS_APPLICATION_ID);
    s.put(StreamProcessorConfig.STATE_DIR, options.dataDir().resolve("streams").toAbsolutePath().toString());
    s.put(StreamProcessorConfig.COMMIT_INTERVAL_MS, "1000");
    s.put(StreamProcessorConfig.QUERY_PORT, Integer.toString(options.httpPort()));
    s.putAll(overrides.getOrDefault(Component.STREAMS, Map.of()));
    return s;
  }

  private Map<String, String> sinkSettings() {
    Map<String, String> s = common();
    s.put(SinkConfig.S3_BUCKET, BUCKET);
    s.put(SinkConfig.S3_PREFIX, "casefeed");
    s.put(SinkConfig.S3_ENDPOINT, cloud.s3Endpoint().toString());
    s.put(SinkConfig.S3_PATH_STYLE, "true");
    s.put(SinkConfig.S3_ACCESS_KEY_ID, cloud.accessKeyId());
    s.put(SinkConfig.S3_SECRET_ACCESS_KEY, cloud.secretAccessKey());
    s.put(SinkConfig.HISTORY_FORMATS, "parquet,csv");
    s.put(SinkConfig.HISTORY_IDLE_FLUSH_MS, "20000");
    s.put(SinkConfig.SNAPSHOT_INTERVAL_MS, Long.toString(options.snapshotMs()));
    s.putAll(overrides.getOrDefault(Component.SINK, Map.of()));
    return s;
  }

  private Map<String, String> notifierSettings() {
    Map<String, String> s = common();
    s.put(NotifierConfig.FROM, SENDER);
    s.put(NotifierConfig.GROUPS, "leads");
    s.put(NotifierConfig.GROUP_PREFIX + "leads." + NotifierConfig.GROUP_RECIPIENTS, DIGEST_RECIPIENT);
    s.put(NotifierConfig.DIGEST_SCHEDULE, options.digestSchedule());
    s.put(NotifierConfig.DIGEST_ON_FIRST_START, "true");
    s.put(NotifierConfig.ALERT_WINDOW_MS, "30000");
    // Alerts go to the local Slack too, with a bot token made up for the demo (local-cloud checks its shape only).
    s.put(NotifierConfig.CHANNELS, "slack,teams");
    s.put(NotifierConfig.GROUP_PREFIX + "leads." + NotifierConfig.GROUP_CHANNELS, "slack,teams");
    s.put("notifier.channel.slack.type", "slack");
    s.put("notifier.channel.slack.url", slack.url(SLACK_PATH));
    s.put("notifier.channel.slack.token", "xoxb-casefeed-demo-token");
    s.put("notifier.channel.slack.channel", SLACK_CHANNEL);
    s.put("notifier.channel.slack.digests", "true");
    s.put("notifier.channel.teams.type", "teams");
    s.put("notifier.channel.teams.url", slack.url(TEAMS_PATH));
    s.put("notifier.channel.teams.digests", "true");
    // Digests on the channels link to the sink's latest case list in local-cloud's S3.
    s.put(NotifierConfig.DIGEST_LINK_BUCKET, BUCKET);
    s.put(AwsSettings.endpointOverrideKey("s3"), cloud.s3Endpoint().toString());
    s.put(AwsSettings.S3_PATH_STYLE, "true");
    s.put(NotifierConfig.SES_ENDPOINT, cloud.awsEndpoint().toString());
    s.put(NotifierConfig.SES_ACCESS_KEY_ID, cloud.accessKeyId());
    s.put(NotifierConfig.SES_SECRET_ACCESS_KEY, cloud.secretAccessKey());
    s.putAll(overrides.getOrDefault(Component.NOTIFIER, Map.of()));
    return s;
  }

  private void createBucket() {
    try (S3Client s3 = S3Client.builder().endpointOverride(cloud.s3Endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(cloud.accessKeyId(), cloud.secretAccessKey())))
        .build()) {
      try {
        s3.headBucket(b -> b.bucket(BUCKET));
      } catch (NoSuchBucketException e) {
        s3.createBucket(b -> b.bucket(BUCKET));
      } catch (BucketAlreadyOwnedByYouException ignored) {
        // Created by an earlier start.
      }
    }
  }

  /** Stops everything in the reverse order of start; the data folder stays. */
  @Override
  public void close() {
    while (!running.isEmpty()) {
      AutoCloseable part = running.pop();
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
