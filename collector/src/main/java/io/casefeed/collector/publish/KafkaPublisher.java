package io.casefeed.collector.publish;

import io.casefeed.common.kafka.KafkaClientSettings;
import io.casefeed.collector.metrics.CollectorMetrics;
import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.SweepRecord;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.schemas.DeadLetters;
import io.casefeed.schemas.registry.SchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's one producer: idempotent, acks=all, compressed. Its buffer is bounded; when the
 * broker is away the buffer fills and {@code send} blocks the polls (back-pressure) instead of
 * dropping records, and records never expire while waiting for the broker to come back.
 */
public final class KafkaPublisher implements ObservationSink, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);

  /**
   * The source an unreadable Support item's dead letter names: the API it came from. Kafka allows no
   * ':' in a topic name, so a replay of the letter cannot put its JSON into a topic of Avro records.
   */
  private static final String SUPPORT_REPLY_SOURCE = "support:DescribeCases";

  private final Producer<String, byte[]> producer;
  private final String observationsTopic;
  private final String sweepsTopic;
  private final String accountsTopic;
  private final String deadLetterTopic;
  private final String clientId;
  private final AvroSerde<CaseObservation> observations;
  private final AvroSerde<SweepRecord> sweeps;
  private final AvroSerde<AccountRecord> accounts;
  private final CollectorMetrics metrics;

  public record Topics(String observations, String sweeps, String accounts, String deadLetter) {}

  public KafkaPublisher(Map<String, Object> kafkaSettings, String clientId, Topics topics, SchemaRegistryClient registry,
      boolean autoRegister, CollectorMetrics metrics) {
    this.producer = new KafkaProducer<>(producerSettings(kafkaSettings, clientId), new StringSerializer(), new ByteArraySerializer());
    this.observationsTopic = topics.observations();
    this.sweepsTopic = topics.sweeps();
    this.accountsTopic = topics.accounts();
    this.deadLetterTopic = topics.deadLetter();
    this.clientId = clientId;
    this.observations = new AvroSerde<>(CaseObservation.class, registry, autoRegister, false);
    this.sweeps = new AvroSerde<>(SweepRecord.class, registry, autoRegister, false);
    this.accounts = new AvroSerde<>(AccountRecord.class, registry, autoRegister, false);
    this.metrics = metrics;
  }

  /** The producer settings: the user's kafka.* keys, with the guarantees the collector needs forced. */
  public static Map<String, Object> producerSettings(Map<String, Object> kafkaSettings, String clientId) {
    Map<String, Object> settings = KafkaClientSettings.idempotentProducer(kafkaSettings);
    settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    settings.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    settings.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    settings.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, 32L * 1024 * 1024);
    settings.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.MAX_VALUE);
    settings.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
    return settings;
  }

  /**
   * Registers (or looks up) the value schemas before the first poll, so that a hundred polls
   * starting at once do not all wait on the registry for their first record.
   */
  public void registerSchemas() {
    Instant epoch = Instant.EPOCH;
    observations.serialize(observationsTopic, CaseObservation.newBuilder()
        .setAccountId("000000000000").setPollId("").setPollKind("sweep").setObservedAt(epoch)
        .setCaseDetails(io.casefeed.schema.CaseDetails.newBuilder().setAccountId("000000000000").setCaseId("").build())
        .build());
    sweeps.serialize(sweepsTopic, SweepRecord.newBuilder().setAccountId("000000000000").setPollId("").setPollKind("sweep")
        .setOutcome("ok").setStartedAt(epoch).setFinishedAt(epoch).setDurationMs(0).build());
    accounts.serialize(accountsTopic, AccountRecord.newBuilder().setAccountId("000000000000").setUpdatedAt(epoch).build());
  }

  /** Fetches the producer's metadata for the observations topic: returns once the producer reached the brokers. */
  public void connect() {
    producer.partitionsFor(observationsTopic);
  }

  @Override
  public CompletableFuture<Void> observation(CaseObservation observation) {
    String key = CaseKeys.of(observation.getAccountId(), observation.getCaseDetails().getCaseId());
    byte[] value = observations.serialize(observationsTopic, observation);
    return send(new ProducerRecord<>(observationsTopic, null, observation.getObservedAt().toEpochMilli(), key, value))
        .thenRun(() -> metrics.observationsPublished(1));
  }

  @Override
  public CompletableFuture<Void> sweep(SweepRecord sweep) {
    byte[] value = sweeps.serialize(sweepsTopic, sweep);
    return send(new ProducerRecord<>(sweepsTopic, null, sweep.getFinishedAt().toEpochMilli(), sweep.getAccountId(), value));
  }

  /** Key = the account, value = the item's JSON, reason and cause in the dead-letter headers, failed by this client. */
  @Override
  public CompletableFuture<Void> unreadable(UnreadableItem unreadable) {
    var headers = DeadLetters.headers(unreadable.reason(), unreadable.cause(), SUPPORT_REPLY_SOURCE, -1, -1, clientId,
        unreadable.seenAt());
    byte[] value = unreadable.item().getBytes(StandardCharsets.UTF_8);
    return send(new ProducerRecord<>(deadLetterTopic, null, unreadable.seenAt().toEpochMilli(), unreadable.accountId(), value,
        headers)).thenRun(() -> metrics.unreadableReplyItem(unreadable.accountId()));
  }

  @Override
  public void unreadableAgain(UnreadableItem unreadable) {
    metrics.unreadableReplyItem(unreadable.accountId());
    metrics.unreadableReplyItemRepeated(unreadable.accountId());
  }

  public CompletableFuture<Void> account(AccountRecord account) {
    byte[] value = accounts.serialize(accountsTopic, account);
    return send(new ProducerRecord<>(accountsTopic, null, account.getUpdatedAt().toEpochMilli(), account.getAccountId(), value));
  }

  /** A tombstone: the account is no longer read. */
  public CompletableFuture<Void> removeAccount(String accountId) {
    return send(new ProducerRecord<>(accountsTopic, accountId, null));
  }

  /** Sends raw bytes (the reading log's records). */
  public CompletableFuture<Void> send(ProducerRecord<String, byte[]> record) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    producer.send(record, (metadata, error) -> {
      if (error == null) {
        done.complete(null);
      } else {
        metrics.publishFailed();
        LOG.error("record for {} key {} not stored: {}", record.topic(), record.key(), error.toString());
        done.completeExceptionally(error);
      }
    });
    return done;
  }

  public AvroSerde<SweepRecord> sweepSerde() {
    return sweeps;
  }

  public AvroSerde<AccountRecord> accountSerde() {
    return accounts;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }
}
