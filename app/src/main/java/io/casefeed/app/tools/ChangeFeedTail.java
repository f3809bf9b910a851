package io.casefeed.app.tools;

import io.casefeed.common.kafka.KafkaClientSettings;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schemas.serde.AvroSerde;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A downstream consumer of the change feed, as another team would write one: read_committed, no
 * consumer group (nothing to commit, nothing to clean up), one line per event.
 */
public final class ChangeFeedTail {

  public enum Start { BEGINNING, END }

  private final Map<String, Object> kafkaSettings;
  private final String topic;
  private final AvroSerde<CaseChange> serde;
  private final PrintStream out;
  private final boolean json;

  public ChangeFeedTail(Map<String, Object> kafkaSettings, String topic, AvroSerde<CaseChange> serde, PrintStream out, boolean json) {
    this.kafkaSettings = kafkaSettings;
    this.topic = topic;
    this.serde = serde;
    this.out = out;
    this.json = json;
  }

  /** Prints events until {@code keepGoing} says stop or {@code max} events (0 = no limit); returns how many. */
  public long run(Start start, long max, BooleanSupplier keepGoing) {
    Map<String, Object> settings = KafkaClientSettings.reader(kafkaSettings);
    long printed = 0;
    try (var consumer = new KafkaConsumer<String, byte[]>(settings, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      if (partitions.isEmpty()) {
        throw new IllegalStateException("topic " + topic + " does not exist");
      }
      consumer.assign(partitions);
      if (start == Start.BEGINNING) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      while (keepGoing.getAsBoolean() && (max == 0 || printed < max)) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          out.println(render(record));
          printed++;
          if (max > 0 && printed >= max) {
            break;
          }
        }
        out.flush();
      }
    }
    return printed;
  }

  String render(ConsumerRecord<String, byte[]> record) {
    CaseChange change;
    try {
      change = serde.deserialize(record.topic(), record.value());
    } catch (SerializationException e) {
      return "undecodable record at " + record.topic() + "/" + record.partition() + "@" + record.offset() + ": " + e.getMessage();
    }
    if (change == null) {
      return "tombstone " + record.key();
    }
    return json ? change.toString() : line(change);
  }

  /** {@code <observedAt> <account> #<displayId> <TYPE> v<n> <what changed> [severity service language] "subject"}. */
  public static String line(CaseChange change) {
    CaseDetails now = change.getCurrent();
    CaseDetails before = change.getPrevious();
    StringBuilder line = new StringBuilder()
        .append(change.getObservedAt()).append(' ')
        .append(change.getAccountId()).append(" #").append(Objects.requireNonNullElse(now.getDisplayId(), now.getCaseId()))
        .append(' ').append(change.getChangeType()).append(" v").append(change.getVersion());
    switch (change.getChangeType()) {
      case "STATUS_CHANGED", "CASE_RESOLVED", "CASE_REOPENED" ->
          line.append(' ').append(before == null ? "-" : before.getStatus()).append(" -> ").append(now.getStatus());
      case "SEVERITY_CHANGED" ->
          line.append(' ').append(before == null ? "-" : before.getSeverityCode()).append(" -> ").append(now.getSeverityCode());
      case "COMMUNICATION_ADDED" -> line.append(" by ").append(change.getCommunicationAuthor());
      case "FIELDS_CHANGED" -> line.append(' ').append(String.join(",", change.getChangedFields()));
      default -> line.append(' ').append(now.getStatus());
    }
    line.append(" [").append(now.getSeverityCode()).append(' ').append(now.getServiceCode()).append(' ')
        .append(now.getLanguage()).append("] \"").append(oneLine(now.getSubject())).append('"');
    if (change.getBackfill()) {
      line.append(" (backfill)");
    }
    return line.toString();
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("[\\r\\n]+", " ");
  }

}
