package io.casefeed.app.tools;

import io.casefeed.common.kafka.KafkaClientSettings;
import io.casefeed.common.kafka.TopicReader;
import io.casefeed.schemas.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Reads the dead-letter topic and sends chosen records back to where they came from. */
public final class DeadLetterBrowser {

  /** Header a replayed record carries, so its consumer (and a person) can tell it was replayed. */
  public static final String REPLAYED_FROM = "casefeed.dlq.replayed.from";
  private static final java.util.regex.Pattern KAFKA_TOPIC_NAME = java.util.regex.Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  /** One dead letter, with where it is and why it is there. */
  public record DeadLetter(
      int partition, long offset, Instant timestamp, String key, byte[] value, String reason, String exception,
      String sourceTopic, String sourcePartition, String sourceOffset, String failedBy, List<Header> originalHeaders) {

    String describe() {
      return String.format("%d@%d %s %s/%s@%s by %s: %s%s", partition, offset, timestamp, sourceTopic, sourcePartition,
          sourceOffset, failedBy, reason, exception == null ? "" : " (" + exception + ")");
    }
  }

  private final Map<String, Object> kafkaSettings;
  private final String deadLetterTopic;

  public DeadLetterBrowser(Map<String, Object> kafkaSettings, String deadLetterTopic) {
    this.kafkaSettings = kafkaSettings;
    this.deadLetterTopic = deadLetterTopic;
  }

  /** Every dead letter now in the topic, oldest first per partition. */
  public List<DeadLetter> list() {
    List<DeadLetter> letters = new ArrayList<>();
    try (var consumer = new KafkaConsumer<byte[], byte[]>(KafkaClientSettings.reader(kafkaSettings), new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      // Not reading to the end within the minute fails: a partial list would look like the whole one.
      TopicReader.readAll(consumer, deadLetterTopic, Duration.ofSeconds(60), record -> letters.add(toDeadLetter(record)));
    }
    return letters;
  }

  /** Sends the dead letters at {@code offsets} (partition to offsets) back to their source topics, once each. */
  public List<DeadLetter> replay(Map<Integer, Set<Long>> offsets) {
    List<DeadLetter> chosen = list().stream()
        .filter(l -> offsets.getOrDefault(l.partition(), Set.of()).contains(l.offset()))
        .toList();
    Map<String, Object> settings = KafkaClientSettings.idempotentProducer(kafkaSettings);
    // Checked before anything is sent, so a refused choice replays nothing rather than part of it.
    for (DeadLetter letter : chosen) {
      if (letter.sourceTopic() == null || letter.sourceTopic().isEmpty()) {
        throw new IllegalStateException("dead letter " + letter.partition() + "@" + letter.offset() + " names no source topic");
      }
      if (!KAFKA_TOPIC_NAME.matcher(letter.sourceTopic()).matches()) {
        throw new IllegalStateException("dead letter " + letter.partition() + "@" + letter.offset() + " came from "
            + letter.sourceTopic() + ", not from a Kafka topic, so it cannot be replayed; it is read again at the source "
            + "(e.g. the collector's next poll) once the source sends it whole");
      }
    }
    try (var producer = new KafkaProducer<byte[], byte[]>(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (DeadLetter letter : chosen) {
        RecordHeaders headers = new RecordHeaders(letter.originalHeaders());
        headers.add(REPLAYED_FROM, (deadLetterTopic + "/" + letter.partition() + "@" + letter.offset()).getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(letter.sourceTopic(), null,
            letter.key() == null ? null : letter.key().getBytes(StandardCharsets.UTF_8), letter.value(), headers)).get(60, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("replay failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("replay interrupted", e);
    }
    return chosen;
  }

  private static DeadLetter toDeadLetter(ConsumerRecord<byte[], byte[]> record) {
    var headers = record.headers();
    List<Header> original = new ArrayList<>();
    for (Header header : headers) {
      if (!header.key().startsWith("casefeed.dlq.")) {
        original.add(header);
      }
    }
    return new DeadLetter(record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp()),
        record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8), record.value(),
        DeadLetters.header(headers, DeadLetters.REASON), DeadLetters.header(headers, DeadLetters.EXCEPTION),
        DeadLetters.header(headers, DeadLetters.SOURCE_TOPIC), DeadLetters.header(headers, DeadLetters.SOURCE_PARTITION),
        DeadLetters.header(headers, DeadLetters.SOURCE_OFFSET), DeadLetters.header(headers, DeadLetters.FAILED_BY), original);
  }
}
