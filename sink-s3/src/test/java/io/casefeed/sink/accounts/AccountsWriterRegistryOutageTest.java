package io.casefeed.sink.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.common.retry.Backoff;
import io.casefeed.common.time.MutableClock;
import io.casefeed.schema.AccountRecord;
import io.casefeed.schemas.registry.InMemorySchemaRegistryClient;
import io.casefeed.schemas.registry.SchemaRegistryClient;
import io.casefeed.schemas.registry.SchemaRegistryException;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.schemas.serde.RegistryOutageGuard;
import io.casefeed.sink.query.LocalQuery;
import io.casefeed.sink.testing.InMemoryStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accounts writer's loop on a {@link MutableClock}: while the registry is out, the record that
 * needs it is read again at its offset and no accounts.parquet is written (it would miss a name),
 * readiness turns DOWN after the threshold; once the registry answers, the whole set is written,
 * and a later change is written once its debounce has passed, not before.
 */
class AccountsWriterRegistryOutageTest {

  private static final String TOPIC = "accounts";
  private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
  private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
  private static final String FILE = "p/accounts/accounts.parquet";

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
  void anAccountThatNeedsTheRegistryWaitsAtItsOffsetAndTheTableIsWrittenOnceItAnswers(@TempDir Path dir) throws Exception {
    MutableClock clock = new MutableClock(START);
    InMemoryStore store = new InMemoryStore();
    InMemorySchemaRegistryClient shared = new InMemorySchemaRegistryClient();
    AvroSerde<AccountRecord> producerSerde = new AvroSerde<>(AccountRecord.class, shared);
    SwitchableRegistry sinkRegistry = new SwitchableRegistry(shared);
    MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
    consumer.updateBeginningOffsets(Map.of(TP, 0L));
    consumer.updateEndOffsets(Map.of(TP, 3L));
    RegistryOutageGuard guard = new RegistryOutageGuard(new Backoff(3, Duration.ofSeconds(1), Duration.ofSeconds(2), Backoff.Jitter.NONE),
        Duration.ofSeconds(10), clock, clock);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    AccountsWriter writer = new AccountsWriter(consumer, TOPIC, new AvroSerde<>(AccountRecord.class, sinkRegistry), store, "p",
        Duration.ofSeconds(30), clock, clock, meters, guard);
    List<AccountRecord> initial = List.of(account("111111111111", "Payments"), account("222222222222", null),
        account("333333333333", "Data platform"));
    List<String> seen = new ArrayList<>();
    Runnable deliver = () -> {
      for (long offset = consumer.position(TP); offset < 3; offset++) {
        AccountRecord account = initial.get((int) offset);
        consumer.addRecord(record(offset, account.getAccountId(), producerSerde.serialize(TOPIC, account)));
      }
    };
    Runnable observe = () -> seen.add("position=" + consumer.position(TP) + " healthy=" + writer.registryHealthy()
        + " written=" + store.objects.containsKey(FILE));

    consumer.schedulePollTask(deliver);
    // Each poll after a failed round: the broker delivers again from the position sought back to.
    for (int poll = 0; poll < 3; poll++) {
      consumer.schedulePollTask(() -> {
        observe.run();
        deliver.run();
      });
    }
    consumer.schedulePollTask(() -> {
      observe.run();
      sinkRegistry.down = false;
      deliver.run();
    });
    // Written at once: the first write after reading the topic to its end has no debounce.
    consumer.schedulePollTask(() -> {
      observe.run();
      consumer.addRecord(record(3, "222222222222", producerSerde.serialize(TOPIC, account("222222222222", "Support tools"))));
    });
    List<List<String>> firstTable = new ArrayList<>();
    consumer.schedulePollTask(() -> {
      firstTable.addAll(table(store, dir.resolve("first")));
      observe.run();
      clock.advance(Duration.ofSeconds(29));
    });
    consumer.schedulePollTask(() -> {
      observe.run();
      seen.add("writes=" + meters.counter("casefeed.sink.accounts.written").count());
      clock.advance(Duration.ofSeconds(1));
    });
    consumer.schedulePollTask(() -> seen.add("writes=" + meters.counter("casefeed.sink.accounts.written").count()));
    consumer.schedulePollTask(writer::stop);

    writer.run();

    // A round is 3 attempts and 1 + 2 s of backoff: DOWN once the record has waited 10 s, in the fourth round.
    assertThat(seen).containsExactly(
        "position=0 healthy=true written=false", "position=0 healthy=true written=false", "position=0 healthy=true written=false",
        "position=0 healthy=false written=false", "position=3 healthy=true written=true", "position=4 healthy=true written=true",
        "position=4 healthy=true written=true", "writes=1.0", "writes=2.0");
    assertThat(sinkRegistry.calls).isEqualTo(4 * 3 + 1);
    assertThat(meters.counter("casefeed.sink.accounts.unreadable.records").count()).isZero();
    assertThat(firstTable).containsExactly(List.of("111111111111", "Payments"), Arrays.asList("222222222222", null),
        List.of("333333333333", "Data platform"));
    assertThat(table(store, dir.resolve("second"))).containsExactly(List.of("111111111111", "Payments"),
        List.of("222222222222", "Support tools"), List.of("333333333333", "Data platform"));
  }

  private static AccountRecord account(String id, String name) {
    return AccountRecord.newBuilder().setAccountId(id).setName(name).setStatus("ACTIVE").setSources(List.of("static"))
        .setUpdatedAt(START).build();
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset, String key, byte[] value) {
    return new ConsumerRecord<>(TOPIC, 0, offset, START.toEpochMilli(), TimestampType.CREATE_TIME, 0, 0,
        key.getBytes(StandardCharsets.UTF_8), value, new RecordHeaders(), Optional.empty());
  }

  /** The accounts table as DuckDB reads the written file: id and name, by id. */
  private static List<List<String>> table(InMemoryStore store, Path cache) {
    LocalQuery query = new LocalQuery(store, "p", cache);
    query.sync();
    try {
      List<List<String>> rows = new ArrayList<>();
      for (List<Object> row : query.run("SELECT account_id, account_name FROM accounts ORDER BY 1").rows()) {
        rows.add(Arrays.asList((String) row.get(0), (String) row.get(1)));
      }
      return rows;
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
