package io.casefeed.sink.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.common.time.MutableClock;
import io.casefeed.schema.CaseChange;
import io.casefeed.schemas.privacy.PersonalData;
import io.casefeed.schemas.registry.SchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.sink.testing.Changes;
import io.casefeed.sink.testing.InMemoryStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Idle flushing played on a {@link MutableClock}: the writer's loop runs, nothing really waits. */
class ChangeHistoryWriterIdleFlushTest {

  private static final String TOPIC = "case-changes";
  private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
  private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
  private static final Duration IDLE = Duration.ofMinutes(5);

  @Test
  void writesTheOpenObjectOnceThePartitionWasQuietForTheIdleTime() {
    MutableClock clock = new MutableClock(START);
    InMemoryStore store = new InMemoryStore();
    AvroSerde<CaseChange> serde = new AvroSerde<>(CaseChange.class, new MapRegistry());
    MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    ChangeHistoryWriter writer = new ChangeHistoryWriter(consumer, new MockProducer<>(), TOPIC, "dead-letter", serde,
        PersonalData.KEEP_ALL, new HistoryUploader(store, "p", false, new SimpleMeterRegistry()),
        new RotationPolicy(1_000, Duration.ofHours(1), IDLE), clock, new SimpleMeterRegistry());
    List<Integer> objectsSeen = new ArrayList<>();

    consumer.schedulePollTask(() -> {
      consumer.rebalance(List.of(TP));
      consumer.updateBeginningOffsets(Map.of(TP, 0L));
      consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 0L, START.toEpochMilli(), org.apache.kafka.common.record.TimestampType.CREATE_TIME,
          0, 0, null, serde.serialize(TOPIC, Changes.change(1, START)), new org.apache.kafka.common.header.internals.RecordHeaders(),
          java.util.Optional.empty()));
    });
    // Quiet, but one millisecond short of the idle time: the object stays open.
    consumer.schedulePollTask(() -> clock.advance(IDLE.minusMillis(1)));
    consumer.schedulePollTask(() -> {
      objectsSeen.add(store.objects.size());
      clock.advance(Duration.ofMillis(1));
    });
    consumer.schedulePollTask(() -> {
      objectsSeen.add(store.objects.size());
      writer.stop();
    });

    writer.run();

    assertThat(objectsSeen).containsExactly(0, 1);
    assertThat(store.objects).containsOnlyKeys("p/case_changes/dt=2026-11-26/case-changes+0+00000000000000000000.parquet");
    assertThat(consumer.committed(java.util.Set.of(TP)).get(TP).offset()).isEqualTo(1L);
  }

  /** A registry of one process: ids by schema. */
  private static final class MapRegistry implements SchemaRegistryClient {
    private final Map<Schema, Integer> ids = new HashMap<>();
    private final Map<Integer, Schema> schemas = new HashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
      return ids.computeIfAbsent(schema, s -> {
        int id = ids.size() + 1;
        schemas.put(id, s);
        return id;
      });
    }

    @Override
    public int lookup(String subject, Schema schema) {
      return register(subject, schema);
    }

    @Override
    public synchronized Schema schemaById(int id) {
      return schemas.get(id);
    }
  }
}
