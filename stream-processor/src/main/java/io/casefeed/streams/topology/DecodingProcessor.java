package io.casefeed.streams.topology;

import io.casefeed.schemas.DeadLetters;
import io.casefeed.schemas.serde.RegistryFailures;
import java.util.function.BiFunction;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes an input value inside the topology rather than in the consumer, so that a record that
 * cannot be read becomes a dead letter (reason, source topic, partition and offset in headers)
 * instead of stopping the app. A registry outage ({@link RegistryFailures}) is not the record's
 * fault: that error is thrown, and the record is retried once the app restarts.
 */
final class DecodingProcessor<T> implements FixedKeyProcessor<String, byte[], Decoded<T>> {

  private final Deserializer<T> deserializer;
  private final boolean tombstonesAllowed;
  private final BiFunction<String, T, String> keyProblem;
  private final TopologySettings settings;
  private FixedKeyProcessorContext<String, Decoded<T>> context;

  /**
   * @param keyProblem why a decoded value does not belong under its key, or null when it does
   */
  DecodingProcessor(Deserializer<T> deserializer, boolean tombstonesAllowed, BiFunction<String, T, String> keyProblem, TopologySettings settings) {
    this.deserializer = deserializer;
    this.tombstonesAllowed = tombstonesAllowed;
    this.keyProblem = keyProblem;
    this.settings = settings;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Decoded<T>> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, byte[]> record) {
    String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("unknown");
    if (record.key() == null) {
      deadLetter(record, "missing key", null);
      return;
    }
    if (record.value() == null) {
      if (tombstonesAllowed) {
        context.forward(record.withValue(Decoded.ok(null)));
      } else {
        deadLetter(record, "null value (tombstone) on a topic without tombstones", null);
      }
      return;
    }
    T value;
    try {
      value = deserializer.deserialize(topic, record.value());
    } catch (SerializationException e) {
      if (RegistryFailures.isOutage(e)) {
        throw e;
      }
      deadLetter(record, "undecodable value: " + e.getMessage(), e);
      return;
    }
    String problem = keyProblem.apply(record.key(), value);
    if (problem != null) {
      deadLetter(record, problem, null);
      return;
    }
    context.forward(record.withValue(Decoded.ok(value)));
  }

  private void deadLetter(FixedKeyRecord<String, byte[]> record, String reason, Throwable cause) {
    RecordMetadata metadata = context.recordMetadata().orElse(null);
    String topic = metadata == null ? "unknown" : metadata.topic();
    var headers = DeadLetters.headers(reason, cause, topic, metadata == null ? -1 : metadata.partition(),
        metadata == null ? -1 : metadata.offset(), settings.failedBy(), settings.clock().instant());
    record.headers().forEach(headers::add);
    settings.listener().deadLetter(topic);
    context.forward(record.withValue(Decoded.<T>failed(record.value(), reason)).withHeaders(headers));
  }
}
