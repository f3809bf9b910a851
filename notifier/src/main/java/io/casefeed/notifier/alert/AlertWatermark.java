package io.casefeed.notifier.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The alert watermark: every alert window ending before it is completed. It lives in the commit
 * metadata of the notifier's consumer group on the change feed's partition 0, so it needs no topic
 * of its own and moves with the group; it only ever advances.
 */
public final class AlertWatermark {

  static final String PREFIX = "alerts-done-before=";

  private final Consumer<?, ?> consumer;
  private final TopicPartition anchor;
  private final Duration timeout;
  private Instant committed;

  /** @param changesTopic the change feed, whose partition 0 carries the watermark; the consumer must be assigned it */
  public AlertWatermark(Consumer<?, ?> consumer, String changesTopic, Duration timeout) {
    this.consumer = consumer;
    this.anchor = new TopicPartition(changesTopic, 0);
    this.timeout = timeout;
  }

  /** The watermark the group committed last, if any (none before the very first start). */
  public Optional<Instant> read() {
    OffsetAndMetadata offset = consumer.committed(Set.of(anchor), timeout).get(anchor);
    if (offset == null || offset.metadata() == null || !offset.metadata().startsWith(PREFIX)) {
      committed = null;
      return Optional.empty();
    }
    committed = Instant.parse(offset.metadata().substring(PREFIX.length()));
    return Optional.of(committed);
  }

  /** Commits {@code watermark} when it is past the committed one; the offset committed is where the consumer is. */
  public void advanceTo(Instant watermark) {
    if (committed != null && !watermark.isAfter(committed)) {
      return;
    }
    consumer.commitSync(Map.of(anchor, new OffsetAndMetadata(consumer.position(anchor), PREFIX + watermark)), timeout);
    committed = watermark;
  }
}
