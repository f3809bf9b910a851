package io.casefeed.e2e;

import io.casefeed.bench.process.ComponentProcess;
import io.casefeed.collector.Collector;
import io.casefeed.localcloud.LocalCloud;
import io.casefeed.localcloud.LocalCloudOptions;
import io.casefeed.localcloud.Scenario;
import io.casefeed.localcloud.SimulatedAccount;
import io.casefeed.localcloud.webhook.WebhookReceiver;
import io.casefeed.schemas.TopicSpec;
import io.casefeed.schemas.Topics;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The whole pipeline for the fault suite: local-cloud in this JVM (so faults and ground truth are a
 * method call away), the broker and the four components each in a JVM of its own, and a fault proxy
 * between the sink and S3. Intervals are short so that a few minutes hold many polls, flushes,
 * snapshots, alert windows and digests.
 */
final class Pipeline implements AutoCloseable {

  static final Duration FAST_POLL = Duration.ofSeconds(2);
  static final String BUCKET = "casefeed-e2e";
  static final String S3_PREFIX = "casefeed";
  static final String RECIPIENT = "ops@example.com";
  static final int PARTITIONS = 3;
  /** Where the notifier posts its alerts besides mail: each channel kind once, on local-cloud's receiver and SNS. */
  static final String SLACK_PATH = "/slack/services/T0E2E/B0E2E/e2e-token";
  static final String TEAMS_PATH = "/teams/workflows/e2e";
  static final String WEBHOOK_PATH = "/hooks/casefeed";
  static final String WEBHOOK_SECRET = "whsec-e2e-0123456789abcdef";
  static final String SNS_TOPIC = "casefeed-e2e-alerts";

  private final Deque<AutoCloseable> opened = new ArrayDeque<>();
  private final Path dir;
  private final String topicPrefix;
  private final LocalCloud cloud;
  private final S3Client s3;
  private final S3FaultProxy s3Proxy;
  private final WebhookReceiver channels;
  private final String snsTopicArn;
  private final int brokerPort;
  private final int queryPort;
  private final ComponentProcess broker;
  private final Map<String, ComponentProcess> components = new LinkedHashMap<>();

  Pipeline(Path dir, String runId) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.topicPrefix = "e2e-" + runId + ".";
    try {
      cloud = closing(LocalCloud.start(LocalCloudOptions.builder().dataDir(dir.resolve("local-cloud")).scenario(scenario()).build()));
      s3 = closing(S3Client.builder().endpointOverride(cloud.s3Endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(cloud.accessKeyId(), cloud.secretAccessKey())))
          .build());
      s3.createBucket(b -> b.bucket(BUCKET));
      s3Proxy = closing(new S3FaultProxy(cloud.s3Endpoint()));
      channels = closing(WebhookReceiver.start());
      // A standard topic, as SES: a FIFO topic would drop the copy the in-flight window sends again and hide it.
      try (SnsClient sns = SnsClient.builder().endpointOverride(cloud.awsEndpoint()).region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(cloud.accessKeyId(), cloud.secretAccessKey())))
          .build()) {
        snsTopicArn = sns.createTopic(b -> b.name(SNS_TOPIC)).topicArn();
      }
      String classPath = privateClassPath(dir.resolve("classpath"));
      brokerPort = freePort();
      queryPort = freePort();
      broker = closing(new ComponentProcess("broker", classPath, "-Xmx512m", BrokerMain.class.getName(),
          List.of(dir.resolve("kafka").toString(), Integer.toString(brokerPort)), dir));
      startBroker();
      createTopics();
      register("collector", classPath, "io.casefeed.collector.cli.CollectorCommand", collectorConfig());
      register("streams", classPath, "io.casefeed.streams.cli.StreamsCommand", streamsConfig());
      register("sink", classPath, "io.casefeed.sink.cli.SinkCommand", sinkConfig());
      register("notifier", classPath, "io.casefeed.notifier.cli.NotifierCommand", notifierConfig());
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Eight accounts: the management account, one without a support plan and one without the role
   * (both unreadable by design), five readable ones with a few cases each (the lifecycle opens some
   * in ja, zh and ko too, so the collector polls every language). About one lifecycle event per second
   * across the organisation, so most states last many poll intervals.
   */
  private static Scenario scenario() {
    List<Scenario.AccountSpec> overrides = List.of(
        new Scenario.AccountSpec(3, null, null, null, null, false, null, null, null, null),
        new Scenario.AccountSpec(4, null, null, null, null, null, false, null, null, null));
    // SES refuses an unverified sender even out of the sandbox: the notifier's sender is verified here.
    return new Scenario(7L, 8, null, null, null, null, null, 3, 8, 0, Map.of("en", 1.0), 60.0, 60.0, false,
        List.of("casefeed@example.com"), overrides);
  }

  void startBroker() {
    broker.start();
    broker.awaitOutputLine("kafka: ", Duration.ofSeconds(120));
  }

  ComponentProcess broker() {
    return broker;
  }

  Map<String, ComponentProcess> components() {
    return components;
  }

  void startComponents() {
    components.values().forEach(ComponentProcess::start);
  }

  LocalCloud cloud() {
    return cloud;
  }

  S3Client s3() {
    return s3;
  }

  S3FaultProxy s3Proxy() {
    return s3Proxy;
  }

  /** The receiver of the Slack, Teams and webhook posts. */
  WebhookReceiver channels() {
    return channels;
  }

  String snsTopicArn() {
    return snsTopicArn;
  }

  String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  String topic(TopicSpec spec) {
    return topicPrefix + spec.name();
  }

  String queryUrl() {
    return "http://127.0.0.1:" + queryPort;
  }

  Path dir() {
    return dir;
  }

  /** Accounts the collector can read: a support plan, the role, active. */
  List<String> readableAccounts() {
    return cloud.simulation().accounts().stream()
        .filter(account -> account.supportPlan() && account.hasRole() && SimulatedAccount.ACTIVE.equals(account.status()))
        .map(SimulatedAccount::id).toList();
  }

  private void createTopics() {
    Properties admin = new Properties();
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    try (Admin client = Admin.create(admin)) {
      // The collector's and the notifier's own topics are not in the shared catalogue; with topic.create=false nobody else makes them.
      List<NewTopic> topics = Stream.of(Topics.ALL, Collector.OWN_TOPICS, io.casefeed.notifier.Notifier.OWN_TOPICS).flatMap(List::stream)
          .map(spec -> new NewTopic(topic(spec), PARTITIONS, (short) 1).configs(spec.topicConfigs())).toList();
      client.createTopics(topics).all().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create the suite's topics", e.getCause());
    }
  }

  private Map<String, String> shared() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("kafka.bootstrap.servers", bootstrapServers());
    settings.put("schema.registry.url", cloud.schemaRegistryUrl());
    settings.put("topic.prefix", topicPrefix);
    settings.put("topic.replication.factor", "1");
    settings.put("topic.create", "false");
    // A SIGKILLed member is noticed after this, not Kafka's default 45 s.
    settings.put("kafka.session.timeout.ms", "6000");
    settings.put("kafka.heartbeat.interval.ms", "1000");
    return settings;
  }

  private Map<String, String> collectorConfig() {
    Map<String, String> settings = shared();
    settings.put("accounts.static", String.join(",", cloud.simulation().accounts().stream().map(SimulatedAccount::id).toList()));
    settings.put("aws.endpoint.override", cloud.awsEndpoint().toString());
    settings.put("aws.access.key.id", cloud.accessKeyId());
    settings.put("aws.secret.access.key", cloud.secretAccessKey());
    settings.put("poll.fast.interval.ms", Long.toString(FAST_POLL.toMillis()));
    settings.put("poll.sweep.interval.ms", "20000");
    settings.put("poll.lookback.days", "3650");
    settings.put("poll.threads", "8");
    settings.put("retry.base.ms", "100");
    settings.put("retry.max.ms", "2000");
    settings.put("retry.max.attempts", "6");
    settings.put("collector.id", "e2e-collector");
    settings.put("collector.group.id", topicPrefix + "collectors");
    return settings;
  }

  private Map<String, String> streamsConfig() {
    Map<String, String> settings = shared();
    settings.put("streams.application.id", topicPrefix + "streams");
    settings.put("streams.state.dir", dir.resolve("streams-state").toString());
    settings.put("streams.commit.interval.ms", "500");
    settings.put("query.port", Integer.toString(queryPort));
    // Static membership: a restarted instance takes its tasks back without a rebalance wait.
    settings.put("kafka.group.instance.id", "e2e-streams");
    return settings;
  }

  private Map<String, String> sinkConfig() {
    Map<String, String> settings = shared();
    settings.put("s3.bucket", BUCKET);
    settings.put("s3.prefix", S3_PREFIX);
    settings.put("aws.s3.endpoint.override", s3Proxy.endpoint().toString());
    settings.put("aws.s3.path.style", "true");
    settings.put("aws.access.key.id", cloud.accessKeyId());
    settings.put("aws.secret.access.key", cloud.secretAccessKey());
    settings.put("s3.request.timeout.ms", "5000");
    settings.put("s3.retry.max.attempts", "12");
    settings.put("s3.retry.initial.backoff.ms", "200");
    settings.put("s3.retry.max.backoff.ms", "3000");
    settings.put("history.formats", "parquet,csv");
    settings.put("history.group.id", topicPrefix + "sink");
    settings.put("history.group.instance.id", "e2e-sink");
    settings.put("history.idle.flush.ms", "3000");
    settings.put("snapshot.interval.ms", "10000");
    return settings;
  }

  private Map<String, String> notifierConfig() {
    Map<String, String> settings = shared();
    settings.put("notifier.from", "casefeed@example.com");
    settings.put("notifier.groups", "ops");
    settings.put("notifier.group.ops.recipients", RECIPIENT);
    settings.put("notifier.digest.schedule", "every 1m");
    settings.put("notifier.alert.severity", "high");
    settings.put("notifier.alert.window.ms", "5000");
    settings.put("notifier.alert.grace.ms", "2000");
    settings.put("notifier.group.id", topicPrefix + "notifier");
    settings.put("aws.ses.endpoint.override", cloud.awsEndpoint().toString());
    settings.put("aws.access.key.id", cloud.accessKeyId());
    settings.put("aws.secret.access.key", cloud.secretAccessKey());
    settings.put("notifier.ses.backoff.ms", "100");
    settings.put("notifier.ses.backoff.max.ms", "2000");
    settings.put("notifier.ses.max.attempts", "10");
    settings.put("notifier.channels", "oncall,teams,tickets,pager");
    settings.put("notifier.group.ops.channels", "oncall,teams,tickets,pager");
    settings.put("notifier.channel.oncall.type", "slack");
    settings.put("notifier.channel.oncall.url", channels.url(SLACK_PATH));
    settings.put("notifier.channel.teams.type", "teams");
    settings.put("notifier.channel.teams.url", channels.url(TEAMS_PATH));
    settings.put("notifier.channel.tickets.type", "webhook");
    settings.put("notifier.channel.tickets.url", channels.url(WEBHOOK_PATH));
    settings.put("notifier.channel.tickets.secret", WEBHOOK_SECRET);
    settings.put("notifier.channel.pager.type", "sns");
    settings.put("notifier.channel.pager.topic.arn", snsTopicArn);
    settings.put("aws.sns.endpoint.override", cloud.awsEndpoint().toString());
    settings.put("notifier.channels.backoff.ms", "100");
    settings.put("notifier.channels.backoff.max.ms", "2000");
    return settings;
  }

  /**
   * The test's class path with every casefeed jar copied into {@code into}: the local Maven repository
   * is shared, and a module reinstalled there while the suite runs would break the running JVMs
   * (classes that can no longer be loaded from the replaced jar).
   */
  private static String privateClassPath(Path into) throws IOException {
    Files.createDirectories(into);
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (entry.endsWith(".jar") && path.toString().contains(File.separator + "io" + File.separator + "casefeed" + File.separator)) {
        Path copy = into.resolve(path.getFileName());
        Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
        entries.add(copy.toString());
      } else {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private void register(String name, String classPath, String mainClass, Map<String, String> settings) throws IOException {
    Path config = dir.resolve(name + ".properties");
    Properties properties = new Properties();
    properties.putAll(settings);
    try (Writer writer = Files.newBufferedWriter(config)) {
      properties.store(writer, "fault suite: " + name);
    }
    components.put(name, closing(new ComponentProcess(name, classPath, "-Xmx384m", mainClass, List.of("--config", config.toString()), dir)));
  }

  private <T extends AutoCloseable> T closing(T resource) {
    opened.push(resource);
    return resource;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception e) {
        // Closing the rest matters more; the run's outcome is already decided.
      }
    }
  }
}
