package io.casefeed.streams.query;

import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.SweepRecord;
import io.casefeed.streams.topology.HistoryStoreKeys;
import io.casefeed.streams.topology.StoreNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * This instance's share of the state stores (its active partitions). Throws Kafka Streams'
 * {@code InvalidStateStoreException} while a rebalance moves partitions; the server answers 503.
 */
public final class LocalStores {

  private final KafkaStreams streams;

  public LocalStores(KafkaStreams streams) {
    this.streams = streams;
  }

  private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
    return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
  }

  private static <V> List<V> values(ReadOnlyKeyValueStore<String, V> store) {
    List<V> values = new ArrayList<>();
    try (KeyValueIterator<String, V> all = store.all()) {
      all.forEachRemaining(entry -> values.add(entry.value));
    }
    return values;
  }

  public List<CaseState> cases() {
    return values(store(StoreNames.CASES));
  }

  /**
   * Up to {@code count} cases with keys after {@code after} (null: from the first), in key order
   * across every local partition: the composite store walks one partition after the other, so the
   * smallest keys are kept in a bounded map instead of trusting its order.
   */
  public SortedMap<String, CaseState> casesAfter(String after, int count) {
    TreeMap<String, CaseState> smallest = new TreeMap<>();
    ReadOnlyKeyValueStore<String, CaseState> store = store(StoreNames.CASES);
    try (KeyValueIterator<String, CaseState> range = store.range(after, null)) {
      range.forEachRemaining(entry -> {
        if (after != null && entry.key.compareTo(after) <= 0) {
          return;
        }
        if (smallest.size() < count) {
          smallest.put(entry.key, entry.value);
        } else if (entry.key.compareTo(smallest.lastKey()) < 0) {
          smallest.pollLastEntry();
          smallest.put(entry.key, entry.value);
        }
      });
    }
    return smallest;
  }

  public CaseState caseState(String caseKey) {
    return this.<CaseState>store(StoreNames.CASES).get(caseKey);
  }

  public List<CaseChange> history(String caseKey) {
    List<CaseChange> changes = new ArrayList<>();
    ReadOnlyKeyValueStore<String, CaseChange> store = store(StoreNames.CASE_HISTORY);
    try (KeyValueIterator<String, CaseChange> iterator = store.prefixScan(HistoryStoreKeys.prefix(caseKey), new StringSerializer())) {
      iterator.forEachRemaining(entry -> changes.add(entry.value));
    }
    return changes;
  }

  public Map<String, Long> pivotCells() {
    Map<String, Long> cells = new HashMap<>();
    ReadOnlyKeyValueStore<String, Long> store = store(StoreNames.PIVOT_COUNTS);
    try (KeyValueIterator<String, Long> all = store.all()) {
      all.forEachRemaining(entry -> cells.put(entry.key, entry.value));
    }
    return cells;
  }

  public List<AccountRecord> accounts() {
    return values(store(StoreNames.ACCOUNTS));
  }

  public List<SweepRecord> sweeps() {
    return values(store(StoreNames.COVERAGE));
  }
}
