package io.casefeed.collector;

import io.casefeed.collector.accounts.AccountAssignment;
import io.casefeed.collector.accounts.AccountResolver;
import io.casefeed.collector.accounts.AccountSetPublisher;
import io.casefeed.collector.accounts.AccountSource;
import io.casefeed.collector.accounts.OrganizationsAccountSource;
import io.casefeed.collector.accounts.ResolvedAccount;
import io.casefeed.collector.accounts.S3AccountFileSource;
import io.casefeed.collector.accounts.StaticAccountSource;
import io.casefeed.collector.aws.AwsClients;
import io.casefeed.collector.aws.AwsSupportGateway;
import io.casefeed.collector.aws.RoleCredentialsCache;
import io.casefeed.collector.aws.StsRoleAssumer;
import io.casefeed.collector.config.CollectorConfig;
import io.casefeed.collector.events.FollowedAccounts;
import io.casefeed.collector.events.SupportEventFollower;
import io.casefeed.collector.events.SupportEventsReading;
import io.casefeed.collector.metrics.CollectorMetrics;
import io.casefeed.collector.poll.AccountPoller;
import io.casefeed.collector.poll.CallRunner;
import io.casefeed.collector.poll.EventFallback;
import io.casefeed.collector.poll.MissedEvents;
import io.casefeed.collector.poll.Outcome;
import io.casefeed.collector.poll.PollReport;
import io.casefeed.collector.poll.PollScheduler;
import io.casefeed.collector.publish.KafkaDeadLetterLog;
import io.casefeed.collector.publish.KafkaPublisher;
import io.casefeed.collector.publish.KafkaReadingLog;
import io.casefeed.collector.ratelimit.RateLimits;
import io.casefeed.common.time.Sleeper;
import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.SupportEvent;
import io.casefeed.schema.SweepRecord;
import io.casefeed.schemas.CleanupPolicy;
import io.casefeed.schemas.DeadLetters;
import io.casefeed.schemas.KeyFormat;
import io.casefeed.schemas.TopicNames;
import io.casefeed.schemas.TopicSpec;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.SchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The collector: resolves the member accounts, shares them with the other instances through the
 * consumer group on casefeed.accounts, polls its share within the rate limits and publishes what it
 * sees. {@link #start()} runs until {@link #close()}; {@link #runOnce()} sweeps every account once.
 */
public final class Collector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Collector.class);

  /** The collector's own compacted topic: which accounts casefeed has read completely once. */
  public static final TopicSpec READINGS = new TopicSpec(
      "casefeed.collector-readings", KeyFormat.ACCOUNT_ID, SweepRecord.class, 12, CleanupPolicy.COMPACT, null,
      "For each account, the sweep that completed casefeed's first reading of it.");

  /**
   * The collector's second compacted topic: the unreadable Support items whose dead letter is stored, so
   * an unchanged one is dead-lettered once, not again after a restart. The value is the time as ISO-8601
   * text, not Avro (see {@link KafkaDeadLetterLog} for why).
   */
  public static final TopicSpec DEAD_LETTERED = new TopicSpec(
      "casefeed.collector-dead-lettered", KeyFormat.DEAD_LETTERED_ITEM, null, 3, CleanupPolicy.COMPACT, null,
      "For each unreadable Support item (each version of it) sent to casefeed.dead-letter, when: ISO-8601 UTC text, not Avro.");

  /** The topics of the collector alone, not in the shared catalogue: whoever creates casefeed's topics for it must create these too. */
  public static final List<TopicSpec> OWN_TOPICS = List.of(READINGS, DEAD_LETTERED);

  /** What {@link #runOnce()} did. */
  public record OnceSummary(int accounts, Map<Outcome, Integer> outcomes, int cases, int apiCalls, Duration took,
      List<PollReport> reports) {
    /** Polls that ended in a bug rather than an outcome the sweep record explains. */
    public long unexpectedFailures() {
      return reports.stream().filter(r -> r.pollId().isEmpty()).count();
    }
  }

  private final CollectorConfig config;
  private final Clock clock;
  private final AwsClients aws;
  private final CollectorMetrics metrics;
  private final KafkaPublisher publisher;
  private final KafkaReadingLog readings;
  private final KafkaDeadLetterLog deadLettered;
  private final PollScheduler scheduler;
  /** Which accounts' events stopped; null while events are off. */
  private final EventFallback fallback;
  private final AccountResolver resolver;
  private final List<AutoCloseable> sourceClients = new ArrayList<>();
  private final ScheduledExecutorService accountRefresh;
  private volatile AccountAssignment assignment;
  private final SchemaRegistryClient registry;
  /** The SQS reader of AWS Support's events; null while events are off (events.queue.url empty). */
  private SupportEventsReading.Running events;
  /** The reader of this instance's partitions of casefeed.support-events; null while events are off. */
  private SupportEventFollower follower;
  /** Clock millis of the next account-set publication; 0 = at once, when this instance owns partition 0. */
  private volatile long nextAccountPublish;
  /** The producer reached the brokers, with the topics and schemas in place. */
  private volatile boolean producerUp;
  /** The account sources were read completely and published, once, by this instance while it owned partition 0. */
  private volatile boolean accountSetPublished;

  public Collector(CollectorConfig config, Clock clock, SchemaRegistryClient registry, AwsClients aws, MeterRegistry meters) {
    this.config = config;
    this.clock = clock;
    this.aws = aws;
    this.registry = registry;
    this.metrics = new CollectorMetrics(meters);
    RoleCredentialsCache credentials = new RoleCredentialsCache(
        new StsRoleAssumer(aws.sts(), config.roleExternalId(), config.roleSessionName(), config.roleSessionDurationSeconds()),
        clock, config.roleRefreshBefore());
    // Sources first: a configuration without any fails before a Kafka client is made.
    this.resolver = new AccountResolver(sources(credentials), config.includedAccounts(), config.excludedAccounts());
    Map<String, Object> kafka = config.kafkaClientSettings();
    this.publisher = new KafkaPublisher(kafka, config.collectorId(),
        new KafkaPublisher.Topics(TopicNames.of(config, Topics.CASE_OBSERVATIONS), TopicNames.of(config, Topics.SWEEPS),
            TopicNames.of(config, Topics.ACCOUNTS), TopicNames.of(config, Topics.DEAD_LETTER)),
        registry, config.autoRegisterSchemas(), metrics);
    this.readings = new KafkaReadingLog(kafka, TopicNames.of(config, READINGS), publisher);
    this.deadLettered = new KafkaDeadLetterLog(kafka, TopicNames.of(config, DEAD_LETTERED), publisher,
        KafkaDeadLetterLog.DEFAULT_CAPACITY);
    CallRunner calls = new CallRunner(
        new RateLimits(config.accountCallsPerSecond(), config.accountBurst(), config.globalCallsPerSecond()),
        metrics, config.retryMaxAttempts(), config.retryBase(), config.retryMax());
    // With events off nothing compares polls with events: today's behaviour, unchanged.
    MissedEvents missed = config.eventsEnabled() ? this::missedEvent : null;
    this.fallback = config.eventsEnabled()
        ? new EventFallback(config.eventsFallbackMissedChanges(), config.eventsFallbackWindow(), clock) : null;
    AccountPoller poller = new AccountPoller(new AwsSupportGateway(aws.support(), credentials, config::roleArn), calls,
        publisher, readings, clock, config.languages(), config.lookback(), config.collectorId(), missed, fallback, deadLettered);
    this.scheduler = new PollScheduler(poller, readings, clock, Sleeper.SYSTEM, config.effectiveFastInterval(), config.sweepInterval(),
        config.eventsCoalesce(), config.pollThreads(), metrics);
    if (fallback != null) {
      scheduler.withFallback(fallback, config.fastInterval());
      metrics.fallbackGauge(fallback::fallenBackCount);
    }
    this.accountRefresh = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "collector-account-set");
      t.setDaemon(true);
      return t;
    });
  }

  private List<AccountSource> sources(RoleCredentialsCache credentials) {
    List<AccountSource> sources = new ArrayList<>();
    if (!config.staticAccounts().isEmpty()) {
      sources.add(new StaticAccountSource(config.staticAccounts()));
    }
    if (config.accountsS3Uri() != null && !config.accountsS3Uri().isBlank()) {
      S3Client s3 = aws.s3();
      sourceClients.add(s3);
      sources.add(S3AccountFileSource.of(URI.create(config.accountsS3Uri()), s3));
    }
    if (config.organizationsEnabled()) {
      if (config.organizationsRoleArns().isEmpty()) {
        OrganizationsClient organizations = aws.organizations();
        sourceClients.add(organizations);
        sources.add(new OrganizationsAccountSource("own-credentials", organizations));
      }
      for (String roleArn : config.organizationsRoleArns()) {
        OrganizationsClient organizations = aws.organizations(credentials.provider(roleArn));
        sourceClients.add(organizations);
        sources.add(new OrganizationsAccountSource(roleArn.split(":")[4], organizations));
      }
    }
    if (sources.isEmpty()) {
      throw new org.apache.kafka.common.config.ConfigException(CollectorConfig.ACCOUNTS_STATIC, "",
          "no account source: set accounts.static, accounts.s3.uri or accounts.organizations.enabled");
    }
    return sources;
  }

  private void createTopics() {
    List<TopicSpec> topics = new ArrayList<>(List.of(Topics.ACCOUNTS, Topics.CASE_OBSERVATIONS, Topics.SWEEPS, Topics.DEAD_LETTER));
    topics.addAll(OWN_TOPICS);
    if (config.eventsEnabled()) {
      topics.add(Topics.SUPPORT_EVENTS);
    }
    if (config.createTopics()) {
      TopicNames.createMissing(config, topics);
    } else {
      TopicNames.requireExisting(config, topics);
    }
  }

  /**
   * Joins the group and polls this instance's share of the accounts until closed. An error that stops
   * one of its own threads is handed to that thread's uncaught-exception handler (a {@code ComponentRunner}'s
   * stops the process).
   */
  public void start() {
    start(error -> Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), error));
  }

  /** As {@link #start()}, telling {@code onFatal} of an error that stops one of its threads. */
  public void start(java.util.function.Consumer<Throwable> onFatal) {
    createTopics();
    publisher.registerSchemas();
    publisher.connect();
    producerUp = true;
    readings.reload();
    deadLettered.reload();
    scheduler.start();
    assignment = new AccountAssignment(config.kafkaClientSettings(), config.groupId(), config.collectorId(),
        TopicNames.of(config, Topics.ACCOUNTS), publisher.accountSerde(), new AccountAssignment.Listener() {
          @Override
          public void partitionsAssigned(Collection<TopicPartition> partitions) {
            readings.reload();
            // The accounts may come from another instance, which may have dead-lettered their items.
            deadLettered.reload();
          }

          @Override
          public void accountsAdded(Map<String, AccountRecord> accounts) {
            scheduler.own(accounts.keySet());
          }

          @Override
          public void accountsRemoved(Set<String> accountIds) {
            scheduler.release(accountIds, Duration.ofSeconds(30));
          }
        }, this::deadLetter, onFatal);
    assignment.start();
    long refreshMs = config.accountsRefreshInterval().toMillis();
    accountRefresh.scheduleWithFixedDelay(this::publishAccountSetIfOwner, 0, Math.min(refreshMs, 1000), TimeUnit.MILLISECONDS);
    if (config.eventsEnabled()) {
      // Any instance may read the queue, so it checks against every followed account, not its share.
      FollowedAccounts followed = new FollowedAccounts(() -> resolver.resolve().accounts().stream()
          .map(ResolvedAccount::accountId).collect(java.util.stream.Collectors.toSet()), Duration.ofMinutes(1), clock);
      events = SupportEventsReading.start(config, publisher, registry, config.autoRegisterSchemas(), followed, clock);
      follower = followEvents();
    }
    LOG.info("collector {} started", config.collectorId());
  }

  private SupportEventFollower followEvents() {
    String eventsTopic = TopicNames.of(config, Topics.SUPPORT_EVENTS);
    String accountsTopic = TopicNames.of(config, Topics.ACCOUNTS);
    AccountAssignment owned = assignment;
    SupportEventFollower reader = new SupportEventFollower(config.kafkaClientSettings(), config.groupId() + "-support-events",
        config.collectorId(), eventsTopic, new AvroSerde<>(SupportEvent.class, registry, false, false),
        new SupportEventFollower.Accounts() {
          @Override
          public Set<Integer> loadedPartitions() {
            return owned.loadedPartitions();
          }

          @Override
          public AccountAssignment.Membership membership(int partition, String accountId) {
            return owned.membership(partition, accountId);
          }
        },
        scheduler::announce, this::rejectEvent, clock, config.effectiveFastInterval(), Sleeper.SYSTEM);
    reader.start(accountsTopic);
    return reader;
  }

  private void rejectEvent(ConsumerRecord<byte[], byte[]> record, String accountId, String reason, Exception cause) {
    metrics.eventDeadLettered();
    LOG.warn("event at {}-{}@{} goes to the dead-letter topic: {}", record.topic(), record.partition(), record.offset(), reason);
    var headers = DeadLetters.headers(reason, cause, record.topic(), record.partition(), record.offset(),
        config.collectorId(), clock.instant());
    publisher.send(new ProducerRecord<>(TopicNames.of(config, Topics.DEAD_LETTER), null, accountId, record.value(), headers));
  }

  private void missedEvent(String accountId, String caseId, String change) {
    metrics.eventMissed(accountId, change);
    if (fallback != null) {
      fallback.missed(accountId);
    }
    LOG.info("account {} case {}: {} found by a poll, announced by no event", accountId, caseId, change);
  }

  private void publishAccountSetIfOwner() {
    if (assignment == null || !assignment.ownsPartitionZero()) {
      nextAccountPublish = 0;
      return;
    }
    long now = clock.millis();
    if (nextAccountPublish != 0 && now < nextAccountPublish) {
      return;
    }
    nextAccountPublish = now + config.accountsRefreshInterval().toMillis();
    try {
      AccountSetPublisher.Changes changes = new AccountSetPublisher(resolver, publisher, config.kafkaClientSettings(),
          TopicNames.of(config, Topics.ACCOUNTS), config::roleArn, clock).publish();
      if (changes.complete()) {
        accountSetPublished = true;
      }
    } catch (Exception e) {
      LOG.warn("publishing the account set failed; retried at the next refresh: {}", e.toString());
    }
  }

  private void deadLetter(ConsumerRecord<byte[], byte[]> record, Exception cause) {
    var headers = DeadLetters.headers("unreadable account record", cause, record.topic(), record.partition(), record.offset(),
        config.collectorId(), clock.instant());
    String key = record.key() == null ? null : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
    publisher.send(new ProducerRecord<>(TopicNames.of(config, Topics.DEAD_LETTER), null, key, record.value(), headers));
  }

  /** One sweep of every resolved account, outside the consumer group (a scheduled job). */
  public OnceSummary runOnce() throws InterruptedException {
    createTopics();
    publisher.registerSchemas();
    readings.reload();
    deadLettered.reload();
    java.time.Instant started = clock.instant();
    AccountResolver.Resolution resolution = resolver.resolve();
    List<String> ids = resolution.accounts().stream().map(ResolvedAccount::accountId).toList();
    List<PollReport> reports = scheduler.sweepOnce(ids);
    Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    int cases = 0;
    int calls = 0;
    for (PollReport r : reports) {
      outcomes.merge(r.outcome(), 1, Integer::sum);
      cases += r.cases();
      calls += r.apiCalls();
    }
    return new OnceSummary(ids.size(), outcomes, cases, calls, Duration.between(started, clock.instant()), reports);
  }

  /**
   * Ready when its producer is up and the account list was read once: its share of casefeed.accounts
   * read to the end, and, while it owns partition 0 (the instance that publishes the account set), every
   * account source read completely and published. Until then it would poll nothing, or not all it should.
   */
  public boolean ready() {
    AccountAssignment owned = assignment;
    return producerUp && owned != null && owned.readOnce() && (!owned.ownsPartitionZero() || accountSetPublished);
  }

  public Set<String> ownedAccounts() {
    return scheduler.ownedAccounts();
  }

  @Override
  public void close() {
    if (events != null) {
      events.close();
    }
    if (follower != null) {
      follower.close();
    }
    accountRefresh.shutdownNow();
    if (assignment != null) {
      assignment.close();
    }
    scheduler.close();
    publisher.close();
    for (AutoCloseable client : sourceClients) {
      try {
        client.close();
      } catch (Exception e) {
        LOG.debug("closing {}: {}", client, e.toString());
      }
    }
  }
}
