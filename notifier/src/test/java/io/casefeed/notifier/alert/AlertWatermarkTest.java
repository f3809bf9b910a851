package io.casefeed.notifier.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class AlertWatermarkTest {

  private static final TopicPartition ANCHOR = new TopicPartition("p.casefeed.case-changes", 0);
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
  private final AlertWatermark watermark = new AlertWatermark(consumer, ANCHOR.topic(), Duration.ofSeconds(5));

  private void assignAt(long offset) {
    consumer.assign(List.of(ANCHOR));
    consumer.updateBeginningOffsets(Map.of(ANCHOR, 0L));
    consumer.seek(ANCHOR, offset);
  }

  @Test
  void noneBeforeTheFirstStartThenItAdvancesOnlyForwardInTheCommitMetadata() {
    assignAt(7);
    assertThat(watermark.read()).isEmpty();

    watermark.advanceTo(T0);
    OffsetAndMetadata committed = consumer.committed(Set.of(ANCHOR)).get(ANCHOR);
    assertThat(committed.offset()).as("where the consumer is").isEqualTo(7);
    assertThat(committed.metadata()).isEqualTo("alerts-done-before=2026-11-26T10:00:00Z");

    watermark.advanceTo(T0.minusSeconds(60));
    watermark.advanceTo(T0);
    assertThat(consumer.committed(Set.of(ANCHOR)).get(ANCHOR).metadata()).as("never back, never the same again")
        .isEqualTo("alerts-done-before=2026-11-26T10:00:00Z");

    AlertWatermark afterRestart = new AlertWatermark(consumer, ANCHOR.topic(), Duration.ofSeconds(5));
    assertThat(afterRestart.read()).contains(T0);
  }

  @Test
  void anOffsetCommittedWithoutAWatermarkIsNone() {
    assignAt(3);
    consumer.commitSync(Map.of(ANCHOR, new OffsetAndMetadata(3, "")));
    assertThat(watermark.read()).isEmpty();
  }
}
