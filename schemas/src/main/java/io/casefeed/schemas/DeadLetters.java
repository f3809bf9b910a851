package io.casefeed.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead-letter contract: the original key and value bytes, unchanged, with why and where from in
 * headers, so a record can be replayed to its source topic once its cause is fixed.
 */
public final class DeadLetters {

  public static final String REASON = "casefeed.dlq.reason";
  public static final String EXCEPTION = "casefeed.dlq.exception";
  public static final String SOURCE_TOPIC = "casefeed.dlq.source.topic";
  public static final String SOURCE_PARTITION = "casefeed.dlq.source.partition";
  public static final String SOURCE_OFFSET = "casefeed.dlq.source.offset";
  public static final String FAILED_BY = "casefeed.dlq.failed.by";
  public static final String FAILED_AT = "casefeed.dlq.failed.at";

  private DeadLetters() {}

  public static Headers headers(
      String reason, Throwable cause, String sourceTopic, int partition, long offset, String failedBy, java.time.Instant at) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(REASON, utf8(reason));
    if (cause != null) {
      headers.add(EXCEPTION, utf8(cause.getClass().getName() + ": " + cause.getMessage()));
    }
    headers.add(SOURCE_TOPIC, utf8(sourceTopic));
    headers.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
    headers.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
    headers.add(FAILED_BY, utf8(failedBy));
    headers.add(FAILED_AT, utf8(at.toString()));
    return headers;
  }

  /** A dead-letter record for a record consumed from {@code source}; the original headers are kept too. */
  public static ProducerRecord<byte[], byte[]> of(
      ConsumerRecord<byte[], byte[]> source, String reason, Throwable cause, String failedBy, java.time.Instant at) {
    Headers headers = headers(reason, cause, source.topic(), source.partition(), source.offset(), failedBy, at);
    source.headers().forEach(headers::add);
    return new ProducerRecord<>(Topics.DEAD_LETTER.name(), null, source.key(), source.value(), headers);
  }

  public static String header(Headers headers, String name) {
    var header = headers.lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
  }
}
