package io.casefeed.sink.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.common.retry.Backoff;
import io.casefeed.common.time.MutableClock;
import io.casefeed.schema.CaseChange;
import io.casefeed.schemas.privacy.PersonalData;
import io.casefeed.schemas.registry.InMemorySchemaRegistryClient;
import io.casefeed.schemas.registry.SchemaRegistryClient;
import io.casefeed.schemas.registry.SchemaRegistryException;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.schemas.serde.RegistryOutageGuard;
import io.casefeed.sink.testing.Changes;
import io.casefeed.sink.testing.InMemoryStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * The history writer's loop on a {@link MutableClock} while the registry is out: the record that
 * needs it is sought back to, never dead-lettered or committed past, readiness turns DOWN after
 * the threshold, and the record is written once the registry answers.
 */
class ChangeHistoryWriterRegistryOutageTest {

  private static final String TOPIC = "case-changes";
  private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
  private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");

  /** The sink's view of the registry: down while {@code down} is set, a connection refused. */
  private static final class SwitchableRegistry implements SchemaRegistryClient {
    private final SchemaRegistryClient real;
    volatile boolean down = true;
    int calls;

    SwitchableRegistry(SchemaRegistryClient real) {
      this.real = real;
    }

    @Override
    public int register(String subject, Schema schema) {
      return real.register(subject, schema);
    }

    @Override
    public int lookup(String subject, Schema schema) {
      return real.lookup(subject, schema);
    }

    @Override
    public Schema schemaById(int id) {
      calls++;
      if (down) {
        throw new SchemaRegistryException("schema registry unreachable: Connection refused", -1, -1, null);
      }
      return real.schemaById(id);
    }
  }

  @Test
  void aRecordThatNeedsTheRegistryWaitsAtItsOffsetAndIsWrittenOnceItAnswers() {
    MutableClock clock = new MutableClock(START);
    InMemoryStore store = new InMemoryStore();
    InMemorySchemaRegistryClient shared = new InMemorySchemaRegistryClient();
    AvroSerde<CaseChange> producerSerde = new AvroSerde<>(CaseChange.class, shared);
    SwitchableRegistry sinkRegistry = new SwitchableRegistry(shared);
    MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    MockProducer<byte[], byte[]> deadLetters = new MockProducer<>();
    RegistryOutageGuard guard = new RegistryOutageGuard(new Backoff(3, Duration.ofSeconds(1), Duration.ofSeconds(2), Backoff.Jitter.NONE),
        Duration.ofSeconds(10), clock, clock);
    ChangeHistoryWriter writer = new ChangeHistoryWriter(consumer, deadLetters, TOPIC, "dead-letter",
        new AvroSerde<>(CaseChange.class, sinkRegistry), PersonalData.KEEP_ALL,
        new HistoryUploader(store, "p", false, new SimpleMeterRegistry()),
        new RotationPolicy(1_000, Duration.ofHours(1), Duration.ofMinutes(5)), clock, new SimpleMeterRegistry(), guard);
    List<String> seen = new ArrayList<>();
    Runnable deliver = () -> {
      for (long offset = consumer.position(TP); offset < 3; offset++) {
        consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, START.toEpochMilli(), TimestampType.CREATE_TIME, 0, 0, null,
            producerSerde.serialize(TOPIC, Changes.change((int) offset, START)), new RecordHeaders(), Optional.empty()));
      }
    };

    consumer.schedulePollTask(() -> {
      consumer.rebalance(List.of(TP));
      consumer.updateBeginningOffsets(Map.of(TP, 0L));
      deliver.run();
    });
    // Each poll after a failed round: the broker delivers again from the position sought back to.
    for (int poll = 0; poll < 3; poll++) {
      consumer.schedulePollTask(() -> {
        seen.add("position=" + consumer.position(TP) + " healthy=" + writer.registryHealthy());
        deliver.run();
      });
    }
    consumer.schedulePollTask(() -> {
      seen.add("position=" + consumer.position(TP) + " healthy=" + writer.registryHealthy());
      sinkRegistry.down = false;
      deliver.run();
    });
    consumer.schedulePollTask(() -> {
      seen.add("position=" + consumer.position(TP) + " healthy=" + writer.registryHealthy());
      clock.advance(Duration.ofMinutes(6));
    });
    consumer.schedulePollTask(writer::stop);

    writer.run();

    // A round is 3 attempts and 1 + 2 s of backoff: DOWN once the record has waited 10 s, in the fourth round.
    assertThat(seen).containsExactly("position=0 healthy=true", "position=0 healthy=true", "position=0 healthy=true",
        "position=0 healthy=false", "position=3 healthy=true");
    assertThat(sinkRegistry.calls).isEqualTo(4 * 3 + 1);
    assertThat(deadLetters.history()).isEmpty();
    assertThat(store.objects).containsOnlyKeys("p/case_changes/dt=2026-11-26/case-changes+0+00000000000000000000.parquet");
    assertThat(consumer.committed(Set.of(TP)).get(TP).offset()).isEqualTo(3L);
  }
}
