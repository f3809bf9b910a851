package io.casefeed.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.casefeed.common.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class TopicReaderTest {

  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest");

  private void twoPartitions(long end0, long end1) {
    consumer.assign(List.of(P0, P1));
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    consumer.updateEndOffsets(Map.of(P0, end0, P1, end1));
    consumer.seekToBeginning(List.of(P0, P1));
  }

  @Test
  void readsEveryPartitionUpToTheEndOffsetsTakenAtTheStart() {
    twoPartitions(2, 1);
    consumer.addRecord(new ConsumerRecord<>("t", 0, 0, "a", "1"));
    consumer.addRecord(new ConsumerRecord<>("t", 0, 1, "b", "2"));
    consumer.addRecord(new ConsumerRecord<>("t", 1, 0, "c", "3"));
    List<String> read = new ArrayList<>();

    boolean reached = TopicReader.readToEnd(consumer, List.of(P0, P1), Duration.ofSeconds(5), clock, () -> true,
        r -> read.add(r.key()));

    assertThat(reached).isTrue();
    assertThat(read).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void failsNamingThePartitionBehindWhenTheEndIsNotReachedInTime() {
    twoPartitions(0, 3);
    consumer.addRecord(new ConsumerRecord<>("t", 1, 0, "c", "3"));
    // The rest never arrives; each poll costs a second of the fake clock.
    for (int i = 0; i < 20; i++) {
      consumer.schedulePollTask(() -> clock.advance(Duration.ofSeconds(1)));
    }

    assertThatThrownBy(() -> TopicReader.readToEnd(consumer, List.of(P0, P1), Duration.ofSeconds(5), clock, () -> true, r -> { }))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("t-1=1/3")
        .hasMessageNotContaining("t-0=");
  }

  @Test
  void stopsWithoutFailingWhenTheCallerStops() {
    twoPartitions(5, 0);
    assertThat(TopicReader.readToEnd(consumer, List.of(P0), Duration.ofSeconds(5), clock, () -> false, r -> { })).isFalse();
  }
}
