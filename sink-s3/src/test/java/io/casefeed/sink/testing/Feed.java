package io.casefeed.sink.testing;

import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseState;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.kafka.embedded.KafkaFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes change events and case states to the test's topics, through the HTTP registry. */
public final class Feed {

  private Feed() {}

  public static KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> settings = new HashMap<>();
    settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers());
    settings.put(ProducerConfig.ACKS_CONFIG, "all");
    // One request in flight: on a loaded machine a timed-out request is retried without reordering.
    settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000);
    settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000);
    settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return new KafkaProducer<>(settings);
  }

  /**
   * Sends {@code count} change events, their record timestamps from {@code firstTimestamp} {@code
   * spacing} apart (the broker refuses timestamps more than an hour ahead of its clock).
   */
  public static List<CaseChange> sendChanges(String registryUrl, String topic, int count, Instant firstTimestamp, Duration spacing) {
    AvroSerde<CaseChange> serde = new AvroSerde<>(CaseChange.class, new HttpSchemaRegistryClient(registryUrl));
    List<CaseChange> sent = new ArrayList<>();
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int n = 0; n < count; n++) {
        Instant at = firstTimestamp.plus(spacing.multipliedBy(n));
        CaseChange change = Changes.change(n, at);
        byte[] key = CaseKeys.of(change.getAccountId(), change.getCaseId()).getBytes(StandardCharsets.UTF_8);
        acks.add(producer.send(new ProducerRecord<>(topic, null, at.toEpochMilli(), key, serde.serialize(topic, change))));
        sent.add(change);
      }
      producer.flush();
      awaitAll(acks);
    }
    return sent;
  }

  public static void sendStates(String registryUrl, String topic, List<CaseState> states, List<String> tombstoneKeys) {
    AvroSerde<CaseState> serde = new AvroSerde<>(CaseState.class, new HttpSchemaRegistryClient(registryUrl));
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (CaseState state : states) {
        String key = CaseKeys.of(state.getAccountId(), state.getCaseDetails().getCaseId());
        acks.add(producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), serde.serialize(topic, state))));
      }
      for (String key : tombstoneKeys) {
        acks.add(producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), null)));
      }
      producer.flush();
      awaitAll(acks);
    }
  }

  /** Fails the test here, not minutes later, when the broker did not take a record. */
  private static void awaitAll(List<Future<RecordMetadata>> acks) {
    try {
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the broker refused a test record: " + e.getCause(), e.getCause());
    }
  }
}
