package io.casefeed.app.tools;

import io.casefeed.common.kafka.KafkaClientSettings;
import io.casefeed.common.kafka.TopicReader;
import io.casefeed.notifier.resend.FailedMail;
import io.casefeed.notifier.resend.FailedMailCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Reads the notifier's kept failed mails ({@code casefeed.notifier-resends}) and gives up on chosen
 * ones: a tombstone per mail, which the running notifier (or the next one) reads back and records
 * in its ledger as {@code given-up}.
 */
public final class FailedMailsBrowser {

  private final Map<String, Object> kafkaSettings;
  private final String topic;

  public FailedMailsBrowser(Map<String, Object> kafkaSettings, String topic) {
    this.kafkaSettings = kafkaSettings;
    this.topic = topic;
  }

  /** The mails kept now (the latest record of each id that is not a tombstone), oldest failure first. */
  public List<FailedMail> list() {
    Map<String, FailedMail> latest = new LinkedHashMap<>();
    try (var consumer = new KafkaConsumer<byte[], byte[]>(KafkaClientSettings.reader(kafkaSettings), new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      TopicReader.readAll(consumer, topic, Duration.ofSeconds(60), record -> {
        String id = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
          latest.remove(id);
        } else {
          latest.put(id, FailedMailCodec.decode(record.value()));
        }
      });
    }
    List<FailedMail> kept = new ArrayList<>(latest.values());
    kept.sort(Comparator.comparing(FailedMail::firstFailedAt).thenComparing(FailedMail::mailId));
    return kept;
  }

  /** Writes a tombstone for each of {@code mailIds}, every one acknowledged before this returns. */
  public void giveUp(List<String> mailIds) {
    try (var producer = new KafkaProducer<byte[], byte[]>(KafkaClientSettings.idempotentProducer(kafkaSettings),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (String id : mailIds) {
        producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), null)).get(60, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted giving up on failed mails", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot write to " + topic + ": " + e.getMessage(), e);
    }
  }

  /** One line of {@code casefeed notifications list}. */
  static String describe(FailedMail mail) {
    String state = mail.exhausted() ? (mail.resendable() ? "waits for an operator" : "too big to resend, waits for an operator")
        : "next resend at " + mail.nextAttemptAt();
    return mail.mailId() + "  " + mail.kind() + " to " + mail.recipient() + ", failed " + mail.failures() + " time(s) since "
        + mail.firstFailedAt() + "; " + state + "; last: " + mail.lastError();
  }
}
