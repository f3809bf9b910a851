package io.casefeed.streams;

import io.casefeed.common.http.WebServer;
import io.casefeed.common.kafka.KafkaClientSettings;
import io.casefeed.common.time.Sleeper;
import io.casefeed.schema.NotificationRecord;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.streams.notifications.NotificationsFeed;
import io.casefeed.streams.notifications.RecentNotifications;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import io.casefeed.schemas.TopicNames;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.SchemaRegistryClient;
import io.casefeed.streams.config.StreamProcessorConfig;
import io.casefeed.streams.metrics.MicrometerListener;
import io.casefeed.schemas.privacy.PersonalData;
import io.casefeed.streams.dashboard.DashboardHandler;
import io.casefeed.streams.query.QueryServer;
import io.casefeed.streams.topology.CaseSerdes;
import io.casefeed.streams.topology.CaseTopology;
import io.casefeed.streams.topology.TopologySettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream-processor as a component: the Kafka Streams app running {@link CaseTopology} and its
 * query API. {@link #start()} returns once both are started; {@link #close()} stops them cleanly.
 */
public final class CaseStreamsApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CaseStreamsApp.class);

  private final StreamProcessorConfig config;
  private final SchemaRegistryClient registry;
  private final Clock clock;
  private final MeterRegistry meters;
  private final CountDownLatch failed = new CountDownLatch(1);
  private final java.util.concurrent.CompletableFuture<Void> failure = new java.util.concurrent.CompletableFuture<>();
  private KafkaStreams streams;
  private KafkaStreamsMetrics streamsMetrics;
  private QueryServer queryServer;
  private NotificationsFeed notificationsFeed;
  private final List<Consumer<WebServer.Builder>> extraRoutes = new ArrayList<>();

  public CaseStreamsApp(StreamProcessorConfig config, SchemaRegistryClient registry, Clock clock, MeterRegistry meters) {
    this.config = config;
    this.registry = registry;
    this.clock = clock;
    this.meters = meters;
  }

  public synchronized CaseStreamsApp start() {
    if (config.createTopics()) {
      TopicNames.createMissing(config, List.of(Topics.ACCOUNTS, Topics.CASE_OBSERVATIONS, Topics.SWEEPS,
          Topics.CASE_CHANGES, Topics.CASES, Topics.CASE_COUNTS, Topics.DEAD_LETTER));
    }
    TopologySettings settings = TopologySettings.of(config, config.historyMaxChanges(), config.applicationId(), clock,
        new MicrometerListener(meters, clock));
    Topology topology = CaseTopology.build(settings, CaseSerdes.of(registry, config.autoRegisterSchemas()));
    streams = new KafkaStreams(topology, streamsProperties(config));
    // A thread that died of an unexpected error (a registry outage, say) is replaced: it resumes from
    // the last committed transaction, so nothing is lost or doubled.
    streams.setUncaughtExceptionHandler(error -> {
      LOG.error("stream thread failed; replacing it", error);
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    streams.setStateListener((newState, oldState) -> {
      LOG.info("streams state {} -> {}", oldState, newState);
      if (newState == KafkaStreams.State.ERROR) {
        failed.countDown();
        failure.complete(null);
      }
    });
    streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(meters);
    if (config.queryEnabled()) {
      HostInfo self = config.applicationServer().isEmpty() ? null : HostInfo.buildFromEndpoint(config.applicationServer());
      queryServer = new QueryServer(streams, config.queryBindAddress(), config.queryPort(), self, config.queryToken(), clock,
          PersonalData.fromConfig(config));
      // The dashboard page reads the query API of the same server, so it needs no address of its own.
      queryServer.addRoutes(new DashboardHandler()::addTo);
      if (config.queryNotificationsEnabled()) {
        notificationsFeed = notificationsFeed();
        queryServer.notifications(notificationsFeed);
      }
      extraRoutes.forEach(queryServer::addRoutes);
      queryServer.start();
    }
    streams.start();
    if (notificationsFeed != null) {
      notificationsFeed.start();
    }
    LOG.info("casefeed streams started: application.id={} processing.guarantee={}", config.applicationId(), config.processingGuarantee());
    return this;
  }

  /** The dashboard's view of the notifier's ledger: its own reader, outside any group, of committed records only. */
  private NotificationsFeed notificationsFeed() {
    Map<String, Object> settings = KafkaClientSettings.reader(config.kafkaClientSettings());
    settings.put(ConsumerConfig.CLIENT_ID_CONFIG, config.applicationId() + "-notifications-feed");
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
    return new NotificationsFeed(consumer, TopicNames.of(config, Topics.NOTIFICATIONS),
        new AvroSerde<>(NotificationRecord.class, registry, false, false).deserializer(),
        new RecentNotifications(config.queryNotificationsRecent()), clock, Sleeper.SYSTEM);
  }

  static Properties streamsProperties(StreamProcessorConfig config) {
    Properties props = new Properties();
    props.putAll(config.kafkaClientSettings());
    props.put(org.apache.kafka.streams.StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    props.put(org.apache.kafka.streams.StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
    props.put(org.apache.kafka.streams.StreamsConfig.STATE_DIR_CONFIG, config.stateDir());
    props.put(org.apache.kafka.streams.StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.numThreads());
    props.put(org.apache.kafka.streams.StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitIntervalMs());
    props.put(org.apache.kafka.streams.StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.replicationFactor());
    if (!config.applicationServer().isEmpty()) {
      props.put(org.apache.kafka.streams.StreamsConfig.APPLICATION_SERVER_CONFIG, config.applicationServer());
    }
    return props;
  }

  /** The query API's base URL, or null when it is disabled. */
  public String queryUrl() {
    return queryServer == null ? null : queryServer.url();
  }

  /**
   * Adds routes to the query API's server (the demo's {@code /metrics}, say), before {@link #start};
   * ignored when the query API is disabled. Like the dashboard, they see no token check.
   */
  public CaseStreamsApp routes(Consumer<WebServer.Builder> extra) {
    extraRoutes.add(extra);
    return this;
  }

  /** The query API's server, or null when it is disabled. */
  public QueryServer queryServer() {
    return queryServer;
  }

  public KafkaStreams.State state() {
    return streams == null ? KafkaStreams.State.CREATED : streams.state();
  }

  /** Completes when the app failed for good (Kafka Streams in ERROR: no stream thread left). */
  public java.util.concurrent.CompletionStage<Void> failure() {
    return failure;
  }

  /** Blocks until the app failed for good (true) or the timeout passed (false). */
  public boolean awaitFailure(long timeout, TimeUnit unit) throws InterruptedException {
    return failed.await(timeout, unit);
  }

  @Override
  public synchronized void close() {
    if (queryServer != null) {
      queryServer.close();
    }
    if (notificationsFeed != null) {
      notificationsFeed.close();
    }
    if (streams != null) {
      streams.close(Duration.ofSeconds(30));
    }
    if (streamsMetrics != null) {
      streamsMetrics.close();
    }
  }
}
