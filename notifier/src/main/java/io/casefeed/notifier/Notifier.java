package io.casefeed.notifier;

import io.casefeed.common.kafka.KafkaClientSettings;
import io.casefeed.common.kafka.TopicReader;
import io.casefeed.common.time.Sleeper;
import io.casefeed.notifier.alert.AlertBatcher;
import io.casefeed.notifier.alert.AlertEvent;
import io.casefeed.notifier.alert.AlertRenderer;
import io.casefeed.notifier.alert.AlertRules;
import io.casefeed.notifier.alert.AlertWatermark;
import io.casefeed.notifier.channel.ChannelAlerts;
import io.casefeed.notifier.channel.ChannelDelivery;
import io.casefeed.notifier.channel.ChannelDigests;
import io.casefeed.notifier.channel.ChannelKind;
import io.casefeed.notifier.channel.ChannelPoster;
import io.casefeed.notifier.channel.ChannelPosters;
import io.casefeed.notifier.channel.ChannelTarget;
import io.casefeed.notifier.channel.HttpChannelPoster;
import io.casefeed.notifier.channel.SnsChannelPoster;
import io.casefeed.notifier.channel.SnsClients;
import io.casefeed.notifier.config.NotifierConfig;
import io.casefeed.notifier.delivery.Delivery;
import io.casefeed.notifier.delivery.LedgerReader;
import io.casefeed.notifier.delivery.MailIds;
import io.casefeed.notifier.delivery.MailSender;
import io.casefeed.notifier.delivery.NotificationLedger;
import io.casefeed.notifier.delivery.OutgoingMail;
import io.casefeed.notifier.delivery.ProtocolListener;
import io.casefeed.notifier.digest.Digest;
import io.casefeed.notifier.digest.DigestBuilder;
import io.casefeed.notifier.digest.DigestPlanner;
import io.casefeed.notifier.digest.DigestRenderer;
import io.casefeed.notifier.follow.InputApplier;
import io.casefeed.notifier.follow.TopicFollower;
import io.casefeed.notifier.link.CaseListLinks;
import io.casefeed.notifier.mime.MessageFitter;
import io.casefeed.notifier.render.RenderedMail;
import io.casefeed.notifier.resend.FailedMail;
import io.casefeed.notifier.resend.FailedMailCodec;
import io.casefeed.notifier.resend.Resends;
import io.casefeed.notifier.routing.RecipientGroup;
import io.casefeed.notifier.view.CaseBook;
import io.casefeed.notifier.view.CaseSummary;
import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.NotificationRecord;
import io.casefeed.schema.SweepRecord;
import io.casefeed.schemas.CleanupPolicy;
import io.casefeed.schemas.DeadLetters;
import io.casefeed.schemas.KeyFormat;
import io.casefeed.schemas.TopicNames;
import io.casefeed.schemas.TopicSpec;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.privacy.PersonalData;
import io.casefeed.schemas.registry.SchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.schemas.serde.RegistryOutageGuard;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier: reads the case topics (read_committed), sends digests on the schedule and batched
 * alerts, each mail through the intent/completion protocol of {@link Delivery}. Everything it knows
 * is rebuilt from the topics at start, so it keeps no local state.
 */
public final class Notifier implements AutoCloseable {

  /**
   * Mails that failed after their retries, kept to be sent again (see {@link Resends}): the notifier's
   * own topic, not in the shared catalogue.
   */
  public static final TopicSpec RESENDS = new TopicSpec(
      "casefeed.notifier-resends", KeyFormat.MAIL_ID, null, 3, CleanupPolicy.COMPACT, null,
      "Each mail that failed after its retries, the message itself and how its resends went: JSON, not Avro. "
          + "A tombstone once it went through or an operator gave up on it.");

  /** The topics of the notifier alone: whoever creates casefeed's topics for it must create these too. */
  public static final List<TopicSpec> OWN_TOPICS = List.of(RESENDS);
  /** How often the kept failed mails are looked at; each is resent on its own schedule. */
  private static final Duration RESEND_CHECK = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
  /** Record timestamps may trail observation times a little; read this much earlier to be sure. */
  private static final Duration TIMESTAMP_MARGIN = Duration.ofMinutes(10);
  /** Sweeps read before the alert watermark, to know how many polls in a row had failed. */
  private static final Duration SWEEP_HISTORY = Duration.ofDays(1);
  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(60);

  private final NotifierConfig config;
  private final PersonalData privacy;
  private final Clock clock;
  private final MailSender sender;
  private final ChannelPoster poster;
  private final MeterRegistry meters;
  private final ProtocolListener listener;
  private final Sleeper sleeper;
  private final AvroSerde<CaseChange> changeSerde;
  private final AvroSerde<CaseState> caseSerde;
  private final AvroSerde<SweepRecord> sweepSerde;
  private final AvroSerde<AccountRecord> accountSerde;
  private final AvroSerde<NotificationRecord> notificationSerde;
  private final TopicFollower.FollowedTopics followed;
  private final String notificationsTopic;
  private final String deadLetterTopic;
  private final CaseBook book;
  private final AlertRules rules;
  private final DigestBuilder digestBuilder;
  private final DigestPlanner digests;
  private final AlertRenderer alertRenderer;
  private final Timer alertLatency;
  private final CountDownLatch ready = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Set<String> waitingAlerted = new HashSet<>();
  private final RegistryOutageGuard registryGuard;
  private final CaseListLinks caseListLinks;

  private volatile boolean running;
  private volatile Throwable failure;
  /** Completed with the failure when the loop stops on its own; never completed by a close. */
  private final CompletableFuture<Throwable> failed = new CompletableFuture<>();
  private Thread thread;
  private KafkaConsumer<byte[], byte[]> consumer;
  private KafkaProducer<byte[], byte[]> producer;
  private NotificationLedger ledger;
  private Delivery delivery;
  private ChannelAlerts channelAlerts;
  private ChannelDigests channelDigests;
  private AlertBatcher batcher;
  private AlertWatermark watermark;
  private TopicFollower follower;
  private Instant lastWaitingCheck = Instant.EPOCH;
  private Resends resends;
  private Instant lastResendCheck = Instant.EPOCH;

  public Notifier(NotifierConfig config, Clock clock, SchemaRegistryClient registry, MailSender sender, MeterRegistry meters) {
    this(config, clock, registry, sender, meters, ProtocolListener.NONE, Sleeper.SYSTEM);
  }

  public Notifier(NotifierConfig config, Clock clock, SchemaRegistryClient registry, MailSender sender, MeterRegistry meters,
      ProtocolListener listener, Sleeper sleeper) {
    this(config, clock, registry, sender, new ChannelPosters(HttpChannelPoster.create(clock, config.channelTimeout()),
        Map.of(ChannelKind.SNS, new SnsChannelPoster(region -> SnsClients.create(config.awsSettings(), config.channelTimeout(), region)))),
        meters, listener, sleeper);
  }

  public Notifier(NotifierConfig config, Clock clock, SchemaRegistryClient registry, MailSender sender, ChannelPoster poster,
      MeterRegistry meters, ProtocolListener listener, Sleeper sleeper) {
    this.poster = poster;
    this.config = config;
    this.privacy = PersonalData.fromConfig(config);
    this.clock = clock;
    this.sender = sender;
    this.meters = meters;
    this.listener = listener;
    this.sleeper = sleeper;
    this.registryGuard = new RegistryOutageGuard(clock, sleeper);
    this.caseListLinks = config.caseListLinks();
    boolean autoRegister = config.autoRegisterSchemas();
    this.changeSerde = new AvroSerde<>(CaseChange.class, registry, autoRegister, false);
    this.caseSerde = new AvroSerde<>(CaseState.class, registry, autoRegister, false);
    this.sweepSerde = new AvroSerde<>(SweepRecord.class, registry, autoRegister, false);
    this.accountSerde = new AvroSerde<>(AccountRecord.class, registry, autoRegister, false);
    this.notificationSerde = new AvroSerde<>(NotificationRecord.class, registry, autoRegister, false);
    this.followed = new TopicFollower.FollowedTopics(TopicNames.of(config, Topics.ACCOUNTS), TopicNames.of(config, Topics.CASES),
        TopicNames.of(config, Topics.SWEEPS), TopicNames.of(config, Topics.CASE_CHANGES), TopicNames.of(config, RESENDS));
    this.notificationsTopic = TopicNames.of(config, Topics.NOTIFICATIONS);
    this.deadLetterTopic = TopicNames.of(config, Topics.DEAD_LETTER);
    this.book = new CaseBook(config.failingPolls());
    this.rules = new AlertRules(config.alertSeverity(), config.waitingOnCustomerThreshold());
    this.digestBuilder = new DigestBuilder(config.consoleCaseUrl(), config.digestOldestCases(), config.digestZone());
    this.digests = new DigestPlanner(config.digestSchedule(), config.digestOnFirstStart());
    this.alertRenderer = new AlertRenderer(config.consoleCaseUrl(), config.digestZone());
    this.alertLatency = Timer.builder("casefeed.notifier.alert.latency")
        .description("From a change being observed to its alert accepted by SES").register(meters);
  }

  /** Creates missing topics (when configured) and starts the notifier's thread. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    if (config.createTopics()) {
      List<TopicSpec> topics = new ArrayList<>(List.of(Topics.ACCOUNTS, Topics.SWEEPS, Topics.CASE_CHANGES, Topics.CASES,
          Topics.NOTIFICATIONS, Topics.DEAD_LETTER));
      topics.addAll(OWN_TOPICS);
      TopicNames.createMissing(config, topics);
    }
    running = true;
    thread = new Thread(this::run, "casefeed-notifier");
    thread.start();
  }

  /** Waits until the topics are read up to where they were at start and unfinished mails are done. */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && failure == null;
  }

  /** Waits until the notifier stops (closed or failed). */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /** False once a record has waited for an unavailable schema registry longer than the threshold. */
  public boolean registryHealthy() {
    return registryGuard.healthy();
  }

  /** Why the notifier stopped on its own, or null. */
  public Throwable failure() {
    return failure;
  }

  /** Completes with the failure once the notifier stops on its own; a lifecycle turns it into the process's exit. */
  public CompletableFuture<Throwable> failed() {
    return failed;
  }

  /** Whether it has caught up with its topics since start and has not failed. */
  public boolean caughtUp() {
    return ready.getCount() == 0 && failure == null;
  }

  @Override
  public void close() {
    running = false;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      KafkaConsumer<byte[], byte[]> c = consumer;
      if (c != null) {
        c.wakeup();
      }
      try {
        t.join(KAFKA_TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // Made in the constructor, so closed even when the notifier never started.
    caseListLinks.close();
    if (poster instanceof AutoCloseable clients) {
      try {
        clients.close();
      } catch (Exception e) {
        LOG.warn("channel clients did not close cleanly: {}", e.toString());
      }
    }
  }

  private void run() {
    try {
      if (!config.createTopics()) {
        // Said before anything is read, with the topic's name: otherwise the first failed mail would stop the notifier.
        TopicNames.requireExisting(config, OWN_TOPICS);
      }
      producer = new KafkaProducer<>(producerSettings(), new ByteArraySerializer(), new ByteArraySerializer());
      consumer = new KafkaConsumer<>(consumerSettings(config.groupId()), new ByteArrayDeserializer(), new ByteArrayDeserializer());
      ledger = readLedger();
      resends = new Resends(this::writeResend, clock, config.resendInterval(), config.resendMax());
      delivery = new Delivery(config.from(), sender, this::writeNotification, ledger, clock, meters, listener, sleeper,
          config.sesMaxAttempts(), config.sesBackoff(), config.sesBackoffMax(),
          new MessageFitter(MessageFitter.SES_MAX_MESSAGE_BYTES, config.digestGzipAboveBytes(), caseListLinks), resends);
      ChannelDelivery channelDelivery = new ChannelDelivery(poster, this::writeNotification, ledger, clock, meters, listener,
          sleeper, config.channelMaxAttempts(), config.channelBackoff(), config.channelBackoffMax(),
          config.channelRetryAfterMax());
      channelAlerts = new ChannelAlerts(channelDelivery, config.consoleCaseUrl(), config.digestZone());
      channelDigests = new ChannelDigests(channelDelivery);
      Instant now = clock.instant();
      watermark = new AlertWatermark(consumer, followed.changes(), KAFKA_TIMEOUT);
      Optional<Instant> ranBefore = watermark.read();
      Instant alertsDoneBefore = ranBefore.map(w -> w.isBefore(now.minus(config.alertMaxCatchUp())) ? now.minus(config.alertMaxCatchUp()) : w)
          .orElse(now);
      batcher = new AlertBatcher(config.alertWindow(), config.alertGrace(), alertsDoneBefore);
      InputApplier applier = new InputApplier(privacy, book, rules, batcher, resends);
      follower = new TopicFollower(consumer, followed, new TopicFollower.Decoders(accountSerde, caseSerde, sweepSerde, changeSerde),
          registryGuard, clock, meters, config.topicName(""), this::deadLetter,
          input -> applier.apply(input, clock.instant()).ifPresent(delivery::givenUp));
      Optional<Instant> lastDigest = ledger.latestDigestPeriod();
      Instant changesFrom = min(digests.changesFrom(lastDigest, lastDigest.flatMap(ledger::latestDigestPeriodBefore), now),
          alertsDoneBefore.minus(config.alertWindow()));
      LOG.info("notifier starting: {} notification records, alerts done before {}, last digest {}, reading changes since {}",
          ledger.records().size(), alertsDoneBefore, lastDigest.map(Instant::toString).orElse("none"), changesFrom);
      // Record timestamps may trail observation times a little, and the sweeps before the alert
      // watermark tell how many polls in a row had failed: both are read from a little earlier.
      follower.catchUp(changesFrom.minus(TIMESTAMP_MARGIN), min(changesFrom, alertsDoneBefore).minus(SWEEP_HISTORY), KAFKA_TIMEOUT,
          () -> running);
      recoverDigests(lastDigest, ranBefore);
      resendFailedMails(true);
      ready.countDown();
      LOG.info("notifier ready: {} cases, {} accounts, next digest at {}", book.cases().size(), book.accounts().size(), digests.next());
      while (running) {
        follower.poll();
        tick();
      }
    } catch (WakeupException e) {
      if (running) {
        failure = e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable e) {
      failure = e;
      LOG.error("notifier stopped: {}", e.toString(), e);
    } finally {
      ready.countDown();
      closeClients();
      stopped.countDown();
      if (failure != null) {
        failed.complete(failure);
      }
    }
  }

  /** Sends the digests owed at start (see {@link DigestPlanner#recovery}). */
  private void recoverDigests(Optional<Instant> lastDigest, Optional<Instant> ranBefore) throws InterruptedException {
    for (Instant period : digests.recovery(lastDigest, ranBefore, clock.instant())) {
      if (lastDigest.isPresent() && period.isAfter(lastDigest.get())) {
        LOG.info("sending the digest of {} missed while the notifier was down", period);
      }
      sendDigest(period);
    }
    for (Instant window : ledger.unfinishedAlertWindows(id -> resends.get(id).isPresent())) {
      if (batcher.events(window).isEmpty()) {
        LOG.warn("alert window {} has unfinished mails but none of its changes were read again", window);
      }
    }
  }

  private void deadLetter(ConsumerRecord<byte[], byte[]> record, RuntimeException cause) {
    LOG.warn("record {}-{}@{} cannot be read, sent to {}: {}", record.topic(), record.partition(), record.offset(),
        deadLetterTopic, cause.toString());
    ProducerRecord<byte[], byte[]> letter = DeadLetters.of(record, "notifier cannot read the record", cause, "notifier", clock.instant());
    producer.send(new ProducerRecord<>(deadLetterTopic, null, letter.key(), letter.value(), letter.headers()));
  }

  private void tick() throws InterruptedException {
    Instant now = clock.instant();
    if (!now.isBefore(lastWaitingCheck.plusSeconds(1))) {
      lastWaitingCheck = now;
      Set<String> stillWaiting = new HashSet<>();
      for (CaseSummary state : book.cases()) {
        rules.waitingTooLong(state, now).ifPresent(event -> {
          stillWaiting.add(event.id());
          if (!waitingAlerted.contains(event.id()) && batcher.add(event, now)) {
            waitingAlerted.add(event.id());
          }
        });
      }
      // A wait that ended can never alert again under the same id: forget it.
      waitingAlerted.retainAll(stillWaiting);
    }
    for (Instant window : batcher.dueWindows(now)) {
      if (!running) {
        return;
      }
      sendAlerts(window);
    }
    // Held while a record waits for the schema registry: the digest would miss it.
    Optional<Instant> due = running && !registryGuard.waiting() ? digests.takeDue(now) : Optional.empty();
    if (due.isPresent()) {
      sendDigest(due.get());
      book.forgetChangesBefore(due.get().minus(TIMESTAMP_MARGIN));
    }
    watermark.advanceTo(batcher.doneBefore(clock.instant()));
    if (running && !clock.instant().isBefore(lastResendCheck.plus(RESEND_CHECK))) {
      resendFailedMails(false);
    }
  }

  /** Sends again the kept failed mails that are due: every one at start, later each on its own schedule. */
  private void resendFailedMails(boolean atStart) throws InterruptedException {
    lastResendCheck = clock.instant();
    List<FailedMail> due = resends.due(atStart);
    if (atStart && resends.size() > 0) {
      LOG.info("{} failed mail(s) kept from before; resending {} now", resends.size(), due.size());
    }
    for (FailedMail mail : due) {
      if (!running) {
        return;
      }
      delivery.resend(mail);
    }
  }

  void sendDigest(Instant period) throws InterruptedException {
    Instant start = digests.periodStart(ledger.latestDigestPeriodBefore(period), period);
    for (RecipientGroup group : config.groups()) {
      Digest digest = digestBuilder.build(group, book, start, period, undelivered(group.name(), start, period));
      RenderedMail content = DigestRenderer.render(digest);
      for (String recipient : group.recipients()) {
        if (!running) {
          return;
        }
        delivery.deliver(new OutgoingMail(MailIds.digest(period, group.name(), recipient), OutgoingMail.DIGEST,
            group.name(), recipient, period.toString(), content));
      }
      List<ChannelTarget> targets = config.channelsOf(group.name());
      if (running && targets.stream().anyMatch(ChannelTarget::digests)) {
        channelDigests.send(targets, digest, period, caseListLinks.get());
      }
    }
  }

  /**
   * What a group's digest reports as not delivered: the mails and posts that ended rejected or failed
   * in its period, and every failed mail whose resends are used up, in every digest until an operator
   * gives up on it, with the command to run.
   */
  private List<Digest.Undelivered> undelivered(String group, Instant start, Instant period) {
    Map<String, FailedMail> waiting = new LinkedHashMap<>();
    resends.waitingForOperator(group).forEach(m -> waiting.put(m.mailId(), m));
    List<Digest.Undelivered> undelivered = new ArrayList<>();
    for (NotificationRecord r : ledger.undeliveredBetween(group, start, period)) {
      FailedMail kept = waiting.remove(r.getMailId().toString());
      undelivered.add(new Digest.Undelivered(r.getRecipient(), r.getKind(), r.getStage(),
          kept == null ? r.getError() : waitingForOperator(kept), r.getRecordedAt()));
    }
    waiting.values().forEach(m -> undelivered.add(new Digest.Undelivered(m.recipient(), m.kind(), NotificationLedger.FAILED,
        waitingForOperator(m), m.lastFailedAt())));
    return undelivered;
  }

  private static String waitingForOperator(FailedMail mail) {
    return "failed " + mail.failures() + " times, no resend left; once seen to, run: casefeed notifications give-up --mail-id '"
        + mail.mailId() + "' (last: " + mail.lastError() + ")";
  }

  private void sendAlerts(Instant window) throws InterruptedException {
    List<AlertEvent> events = batcher.events(window);
    for (RecipientGroup group : config.groups()) {
      List<AlertEvent> mine = events.stream()
          .filter(e -> group.follows(e.accountId(), book.accountName(e.accountId())))
          .toList();
      if (mine.isEmpty()) {
        continue;
      }
      RenderedMail content = alertRenderer.render(group.name(), window, mine, book::accountName);
      for (String recipient : group.recipients()) {
        if (!running) {
          return;
        }
        Delivery.Outcome outcome = delivery.deliver(new OutgoingMail(MailIds.alert(window, group.name(), recipient),
            OutgoingMail.ALERT, group.name(), recipient, window.toString(), content));
        if (outcome == Delivery.Outcome.SENT) {
          Instant sentAt = clock.instant();
          mine.forEach(e -> alertLatency.record(Duration.between(e.at(), sentAt)));
        }
      }
      if (running) {
        channelAlerts.send(config.channelsOf(group.name()), group.name(), window, mine, book::accountName);
      }
    }
    batcher.close(window);
  }

  /** Reads the ledger whole before any mail is sent: as bytes from Kafka, then decoded ({@link LedgerReader}). */
  private NotificationLedger readLedger() throws InterruptedException {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> reader =
        new KafkaConsumer<>(consumerSettings(null), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicReader.readAll(reader, notificationsTopic, KAFKA_TIMEOUT, records::add);
    }
    return new LedgerReader(notificationSerde, registryGuard, () -> running, this::deadLetter).read(notificationsTopic, records);
  }

  private void writeNotification(NotificationRecord record) {
    byte[] key = record.getMailId().getBytes(StandardCharsets.UTF_8);
    try {
      producer.send(new ProducerRecord<>(notificationsTopic, key, notificationSerde.serialize(notificationsTopic, record)))
          .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted writing " + record.getStage() + " of " + record.getMailId(), e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot write " + record.getStage() + " of " + record.getMailId() + ": " + e, e);
    }
  }

  private void writeResend(String mailId, FailedMail mail) {
    byte[] key = mailId.getBytes(StandardCharsets.UTF_8);
    try {
      producer.send(new ProducerRecord<>(followed.resends(), key, mail == null ? null : FailedMailCodec.encode(mail)))
          .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted keeping " + mailId + " for a resend", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot keep " + mailId + " for a resend: " + e, e);
    }
  }

  private Map<String, Object> consumerSettings(String groupId) {
    Map<String, Object> settings = groupId == null ? KafkaClientSettings.reader(config.kafkaClientSettings())
        : KafkaClientSettings.groupConsumer(config.kafkaClientSettings(), groupId);
    settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return settings;
  }

  private Map<String, Object> producerSettings() {
    Map<String, Object> settings = KafkaClientSettings.idempotentProducer(config.kafkaClientSettings());
    // Each ledger record is awaited alone; lingering would only widen the window in which SES has
    // accepted a mail that the ledger does not yet show as sent.
    settings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return settings;
  }

  private void closeClients() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
    }
    if (consumer != null) {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(10)));
    }
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
