package io.casefeed.sink;

import io.casefeed.common.kafka.KafkaClientSettings;
import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseState;
import io.casefeed.schemas.TopicNames;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.SchemaRegistries;
import io.casefeed.schemas.registry.SchemaRegistryClient;
import io.casefeed.schemas.privacy.PersonalData;
import io.casefeed.common.time.StoppableSleeper;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.schemas.serde.RegistryOutageGuard;
import io.casefeed.sink.accounts.AccountsWriter;
import io.casefeed.sink.config.SinkConfig;
import io.casefeed.sink.history.ChangeHistoryWriter;
import io.casefeed.sink.history.HistoryUploader;
import io.casefeed.sink.history.RotationPolicy;
import io.casefeed.sink.snapshot.CaseListSnapshots;
import io.casefeed.sink.snapshot.SnapshotWriter;
import io.casefeed.sink.store.ObjectStore;
import io.casefeed.sink.store.S3Clients;
import io.casefeed.sink.store.S3ObjectStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The sink component: the change-history writer, the case_list snapshot writer and the accounts
 * table writer, each on its own thread with its own consumer. If any fails (S3 refuses access,
 * retries exhausted) the whole sink stops, with nothing committed past what S3 holds;
 * {@link #failure()} completes with why.
 */
public final class S3Sink implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(S3Sink.class);

  private final SinkConfig config;
  private final ObjectStore store;
  private final SchemaRegistryClient registry;
  private final Clock clock;
  private final MeterRegistry meters;
  private final AutoCloseable ownedClient;
  private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
  private final List<Runnable> stoppers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  /** Every wait of the writers (registry backoff, a topic not there yet); close() ends them first. */
  private final StoppableSleeper pauses = new StoppableSleeper();
  private volatile SnapshotWriter snapshotWriter;
  private volatile ChangeHistoryWriter historyWriter;
  private volatile AccountsWriter accountsWriter;
  private Duration registryDownAfter = RegistryOutageGuard.DEFAULT_DOWN_AFTER;

  public S3Sink(SinkConfig config, ObjectStore store, SchemaRegistryClient registry, Clock clock, MeterRegistry meters) {
    this(config, store, registry, clock, meters, null);
  }

  private S3Sink(SinkConfig config, ObjectStore store, SchemaRegistryClient registry, Clock clock, MeterRegistry meters,
      AutoCloseable ownedClient) {
    this.config = config;
    this.store = store;
    this.registry = registry;
    this.clock = clock;
    this.meters = meters;
    this.ownedClient = ownedClient;
  }

  /** The sink with its real side effects: the S3 client and the HTTP schema registry of the config. */
  public static S3Sink create(SinkConfig config, Clock clock, MeterRegistry meters) {
    S3Client s3 = s3Client(config);
    S3ObjectStore store = new S3ObjectStore(s3, config.bucket(), config.retryPolicy(), config.multipartThreshold(),
        config.multipartPartSize(), meters);
    return new S3Sink(config, store, SchemaRegistries.fromConfig(config), clock, meters, s3);
  }

  public static S3Client s3Client(SinkConfig config) {
    return S3Clients.create(config.awsSettings(), config.requestTimeout());
  }

  /** How long a change may wait for an unavailable schema registry before {@link #registryHealthy()} turns false. */
  public S3Sink registryDownAfter(Duration downAfter) {
    this.registryDownAfter = downAfter;
    return this;
  }

  /** Checks the bucket, creates missing topics if configured, and starts the writers. */
  public S3Sink start() {
    if (store instanceof S3ObjectStore s3Store) {
      s3Store.checkBucket();
      s3Store.detectConditionalWrites((config.prefix().isEmpty() ? "" : config.prefix() + "/") + "_casefeed/");
    }
    if (config.createTopics()) {
      TopicNames.createMissing(config, List.of(Topics.ACCOUNTS, Topics.CASE_CHANGES, Topics.CASES, Topics.DEAD_LETTER));
    }
    if (config.historyEnabled()) {
      startHistory();
    }
    if (config.snapshotEnabled()) {
      startSnapshots();
    }
    if (config.accountsEnabled()) {
      startAccounts();
    }
    return this;
  }

  private void startHistory() {
    Map<String, Object> consumerSettings = consumerSettings();
    consumerSettings.put(ConsumerConfig.GROUP_ID_CONFIG, config.historyGroupId());
    consumerSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    if (config.historyGroupInstanceId() != null) {
      consumerSettings.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.historyGroupInstanceId());
    }
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings);
    Map<String, Object> producerSettings = KafkaClientSettings.idempotentProducer(config.kafkaClientSettings());
    producerSettings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    producerSettings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings);
    HistoryUploader uploader = new HistoryUploader(store, config.prefix(), config.historyCsv(), meters);
    ChangeHistoryWriter writer = new ChangeHistoryWriter(consumer, producer, TopicNames.of(config, Topics.CASE_CHANGES),
        TopicNames.of(config, Topics.DEAD_LETTER), new AvroSerde<>(CaseChange.class, registry, config.autoRegisterSchemas(), false),
        PersonalData.fromConfig(config), uploader, new RotationPolicy(config.rotateRecords(), config.rotateSpan(), config.idleFlush()), clock, meters,
        new RegistryOutageGuard(RegistryOutageGuard.DEFAULT_BACKOFF, registryDownAfter, clock, pauses));
    historyWriter = writer;
    launch("sink-history", writer, writer::stop, List.of(consumer, producer));
  }

  private void startSnapshots() {
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings());
    SnapshotWriter writer = new SnapshotWriter(consumer, TopicNames.of(config, Topics.CASES),
        new AvroSerde<>(CaseState.class, registry, config.autoRegisterSchemas(), false), PersonalData.fromConfig(config),
        new CaseListSnapshots(store, config.prefix()), config.snapshotInterval(), clock, meters,
        new RegistryOutageGuard(RegistryOutageGuard.DEFAULT_BACKOFF, registryDownAfter, clock, pauses));
    snapshotWriter = writer;
    launch("sink-snapshot", writer, writer::stop, List.of(consumer));
  }

  private void startAccounts() {
    Map<String, Object> settings = consumerSettings();
    // The collector creates casefeed.accounts; the sink waits for it rather than create it with defaults.
    settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings);
    AccountsWriter writer = new AccountsWriter(consumer, TopicNames.of(config, Topics.ACCOUNTS),
        new AvroSerde<>(AccountRecord.class, registry, config.autoRegisterSchemas(), false), store, config.prefix(),
        config.accountsDebounce(), clock, pauses, meters,
        new RegistryOutageGuard(RegistryOutageGuard.DEFAULT_BACKOFF, registryDownAfter, clock, pauses));
    accountsWriter = writer;
    launch("sink-accounts", writer, writer::stop, List.of(consumer));
  }

  private Map<String, Object> consumerSettings() {
    // Without a group: the history writer adds its own, the snapshot writer assigns partitions itself.
    Map<String, Object> settings = KafkaClientSettings.reader(config.kafkaClientSettings());
    settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return settings;
  }

  /** The consumer and producer are used by the writer's thread only, and closed by it. */
  private void launch(String name, Runnable writer, Runnable stopper, List<AutoCloseable> ownedClients) {
    stoppers.add(stopper);
    Thread thread = new Thread(() -> {
      try {
        writer.run();
      } catch (Throwable e) {
        LOG.error("{} stopped: {}", name, e.getMessage(), e);
        failure.complete(e);
      } finally {
        for (AutoCloseable client : ownedClients) {
          closeQuietly(client);
        }
      }
    }, name);
    threads.add(thread);
    thread.start();
  }

  /** Completes with the error that stopped a writer; never completes while all is well. */
  public CompletableFuture<Throwable> failure() {
    return failure;
  }

  /** False while a record has waited for an unavailable schema registry longer than the threshold. */
  public boolean registryHealthy() {
    ChangeHistoryWriter history = historyWriter;
    SnapshotWriter snapshots = snapshotWriter;
    AccountsWriter accounts = accountsWriter;
    return (history == null || history.registryHealthy()) && (snapshots == null || snapshots.registryHealthy())
        && (accounts == null || accounts.registryHealthy());
  }

  /** The folder of the latest snapshot written by this process, or null. */
  public String lastSnapshotFolder() {
    SnapshotWriter writer = snapshotWriter;
    return writer == null ? null : writer.lastFolder();
  }

  /** How many accounts the last accounts.parquet written by this process holds; -1 before the first. */
  public int lastAccountsWritten() {
    AccountsWriter writer = accountsWriter;
    return writer == null ? -1 : writer.lastWrittenCount();
  }

  @Override
  public void close() {
    pauses.stop();
    stoppers.forEach(Runnable::run);
    for (Thread thread : threads) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (ownedClient != null) {
      closeQuietly(ownedClient);
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.debug("closing {}: {}", closeable, e.toString());
    }
  }
}
