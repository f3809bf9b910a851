package io.casefeed.collector.events;

import io.casefeed.collector.publish.KafkaPublisher;
import io.casefeed.schema.SupportEvent;
import io.casefeed.schemas.DeadLetters;
import io.casefeed.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Events to {@code casefeed.support-events} (key = account id, so they share the partition of their
 * account in {@code casefeed.accounts}); rejected messages to {@code casefeed.dead-letter}, the raw
 * body as the value, as the dead-letter contract keeps the original bytes.
 */
public final class KafkaEventSink implements EventSink {

  /** Header naming the SQS message a dead letter came in. */
  public static final String SQS_MESSAGE_ID = "casefeed.dlq.sqs.message.id";

  private final KafkaPublisher publisher;
  private final AvroSerde<SupportEvent> serde;
  private final String eventsTopic;
  private final String deadLetterTopic;
  private final String source;
  private final String failedBy;

  /**
   * @param source what the dead-letter header names as the source, e.g. {@code sqs:<queue name>}
   * @param failedBy this collector's id
   */
  public KafkaEventSink(KafkaPublisher publisher, AvroSerde<SupportEvent> serde, String eventsTopic, String deadLetterTopic,
      String source, String failedBy) {
    this.publisher = publisher;
    this.serde = serde;
    this.eventsTopic = eventsTopic;
    this.deadLetterTopic = deadLetterTopic;
    this.source = source;
    this.failedBy = failedBy;
  }

  @Override
  public CompletableFuture<Void> event(SupportEvent event) {
    byte[] value = serde.serialize(eventsTopic, event);
    return publisher.send(new ProducerRecord<>(eventsTopic, null, event.getReceivedAt().toEpochMilli(), event.getAccountId(), value));
  }

  @Override
  public CompletableFuture<Void> rejected(String accountId, String reason, String body, String messageId, Instant at) {
    var headers = DeadLetters.headers(reason, null, source, -1, -1, failedBy, at);
    if (messageId != null) {
      headers.add(SQS_MESSAGE_ID, messageId.getBytes(StandardCharsets.UTF_8));
    }
    byte[] value = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    return publisher.send(new ProducerRecord<>(deadLetterTopic, null, at.toEpochMilli(), accountId, value, headers));
  }
}
