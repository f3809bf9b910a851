package io.casefeed.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.casefeed.common.retry.Backoff;
import io.casefeed.common.time.MutableClock;
import io.casefeed.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class RegistryOutageGuardTest {

  private static final Backoff BACKOFF = new Backoff(4, Duration.ofSeconds(1), Duration.ofSeconds(4), Backoff.Jitter.NONE);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T06:00:00Z"));
  private final RegistryOutageGuard guard = new RegistryOutageGuard(BACKOFF, Duration.ofSeconds(30), clock, clock);

  /** Decodes like a serde whose registry is down for the first {@code failures} calls. */
  private static Supplier<String> registryDownFor(int failures, AtomicInteger calls) {
    return () -> {
      if (calls.incrementAndGet() <= failures) {
        throw new SerializationException("unknown schema id 7",
            new SchemaRegistryException("schema registry unreachable: Connection refused", -1, -1, null));
      }
      return "decoded";
    };
  }

  @Test
  void aShortOutageIsRiddenOutWithTheCommonBackoffOnTheInjectedSleeper() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    assertThat(guard.decode("p0", registryDownFor(2, calls))).isEqualTo("decoded");
    assertThat(calls).hasValue(3);
    assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(guard.waiting()).isFalse();
    assertThat(guard.healthy()).isTrue();
  }

  @Test
  void aLongOutageMakesTheRecordWaitOneRoundPerPollAndTurnsHealthDownAfterTheThreshold() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Supplier<String> down = registryDownFor(Integer.MAX_VALUE, calls);
    assertThatThrownBy(() -> guard.decode("p0", down)).isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("p0").hasMessageContaining("unreachable");
    assertThat(calls).hasValue(4);
    assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    assertThat(guard.waiting()).isTrue();
    assertThat(guard.healthy()).isTrue();

    // Same poll: another partition's record needing the registry gets one attempt, no more backoff.
    assertThatThrownBy(() -> guard.decode("p1", down)).isInstanceOf(RegistryUnavailableException.class);
    assertThat(calls).hasValue(5);
    assertThat(clock.sleeps()).hasSize(3);

    for (int poll = 0; poll < 3; poll++) {
      guard.nextPoll();
      assertThatThrownBy(() -> guard.decode("p0", down)).isInstanceOf(RegistryUnavailableException.class);
    }
    assertThat(calls).hasValue(5 + 3 * 4);
    // 7 s per round, 4 rounds: the first record has waited 28 s, under the 30 s threshold, until the next one.
    assertThat(guard.healthy()).isTrue();
    clock.advance(Duration.ofSeconds(2));
    assertThat(guard.healthy()).isFalse();

    // A record decoded from a cached schema says nothing about the registry.
    assertThat(guard.decode("p2", () -> "cached")).isEqualTo("cached");
    assertThat(guard.healthy()).isFalse();

    // p0's record goes through; p1's has waited since 06:00:07 (after p0's first round), 23 s so far.
    guard.nextPoll();
    assertThat(guard.decode("p0", () -> "decoded")).isEqualTo("decoded");
    assertThat(guard.healthy()).isTrue();
    assertThat(guard.waiting()).isTrue();
    clock.advance(Duration.ofSeconds(8));
    assertThat(guard.healthy()).isFalse();
    assertThat(guard.decode("p1", () -> "decoded")).isEqualTo("decoded");
    assertThat(guard.healthy()).isTrue();
    assertThat(guard.waiting()).isFalse();
  }

  @Test
  void aPartitionThatIsNoLongerOursWaitsForNothing() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> guard.decode("p0", registryDownFor(Integer.MAX_VALUE, calls)))
        .isInstanceOf(RegistryUnavailableException.class);
    clock.advance(Duration.ofMinutes(5));
    assertThat(guard.healthy()).isFalse();
    guard.forget("p0");
    assertThat(guard.healthy()).isTrue();
    assertThat(guard.waiting()).isFalse();
  }

  @Test
  void aBadRecordIsRethrownAsItIsAtOnce() {
    AtomicInteger calls = new AtomicInteger();
    Supplier<String> unknownId = () -> {
      calls.incrementAndGet();
      throw new SerializationException("unknown schema id 99",
          new SchemaRegistryException("GET /schemas/ids/99 failed: HTTP 404 Schema not found", 404, 40403, null));
    };
    assertThatThrownBy(() -> guard.decode("p0", unknownId)).isInstanceOf(SerializationException.class)
        .hasMessageContaining("99");
    assertThat(calls).hasValue(1);
    assertThat(clock.sleeps()).isEmpty();
    assertThat(guard.waiting()).isFalse();
  }

  @Test
  void aPollWithAWaitingRecordSeeksItsPartitionBackAndSkipsItsLaterRecordsWhileOtherPartitionsGoOn() throws Exception {
    TopicPartition p0 = new TopicPartition("t", 0);
    TopicPartition p1 = new TopicPartition("t", 1);
    MockConsumer<String, String> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
    consumer.assign(List.of(p0, p1));
    consumer.updateBeginningOffsets(Map.of(p0, 0L, p1, 0L));
    ConsumerRecords<String, String> poll = new ConsumerRecords<>(Map.of(
        p0, List.of(new ConsumerRecord<>("t", 0, 5L, "a", "needs-registry"), new ConsumerRecord<>("t", 0, 6L, "b", "cached")),
        p1, List.of(new ConsumerRecord<>("t", 1, 9L, "c", "cached"))), Map.of());
    AtomicInteger calls = new AtomicInteger();
    List<String> handled = new ArrayList<>();

    guard.handlePoll(consumer, poll, record -> handled.add(record.partition() + "@" + record.offset() + "="
        + guard.decode(new TopicPartition(record.topic(), record.partition()),
            record.value().equals("needs-registry") ? registryDownFor(Integer.MAX_VALUE, calls) : () -> record.value())));

    assertThat(handled).containsExactly("1@9=cached");
    assertThat(consumer.position(p0)).as("read again from the waiting record").isEqualTo(5L);
    assertThat(guard.waiting()).isTrue();

    // The next poll starts a new round: the record, now decodable, goes through and the partition moves on.
    ConsumerRecords<String, String> again = new ConsumerRecords<>(Map.of(
        p0, List.of(new ConsumerRecord<>("t", 0, 5L, "a", "back"), new ConsumerRecord<>("t", 0, 6L, "b", "cached"))), Map.of());
    handled.clear();
    guard.handlePoll(consumer, again, record -> handled.add(record.offset() + "="
        + guard.decode(new TopicPartition(record.topic(), record.partition()), () -> record.value())));
    assertThat(handled).containsExactly("5=back", "6=cached");
    assertThat(guard.waiting()).isFalse();
  }
}
