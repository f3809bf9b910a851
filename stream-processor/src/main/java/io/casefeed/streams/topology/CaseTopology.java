package io.casefeed.streams.topology;

import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseCount;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.SweepRecord;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.streams.pivot.PivotCell;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TableJoined;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The stream-processor's topology, the one pure function that {@code main}, the benchmark and the
 * tests share. Every node, store, repartition and changelog topic is named so that an upgrade keeps
 * its state; renaming any of them is a breaking change.
 *
 * <pre>
 * case-observations -> decode -> detect changes (case-tracker, case-history, erased-cases) -> case-changes
 *                                              \-> tracked cases --FK join-- accounts -> cases (store, topic)
 *                                                                                   \-> groupBy cell -> pivot-counts -> case-counts
 * sweeps -> decode -> coverage (store)
 * bad records of any input -> dead-letter
 * a tombstone on case-observations (casefeed erase) -> the case leaves case-tracker, case-history,
 *   tracked-cases, cases, the pivot and casefeed.cases; erased-cases remembers it
 * </pre>
 */
public final class CaseTopology {

  private CaseTopology() {}

  public static Topology build(TopologySettings settings, CaseSerdes serdes) {
    StreamsBuilder builder = new StreamsBuilder();

    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(StoreNames.CASE_TRACKER), Serdes.String(), serdes.internalState()));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(StoreNames.CASE_HISTORY), Serdes.String(), serdes.internalChange()));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(StoreNames.ERASED_CASES), Serdes.String(), Serdes.Long()));

    KStream<String, CaseObservation> observations = decoded(builder, settings, "observations", settings.observationsTopic(),
        serdes.observation().deserializer(), true, CaseTopology::observationKeyProblem);
    KStream<String, AccountRecord> accounts = decoded(builder, settings, "accounts", settings.accountsTopic(),
        serdes.account().deserializer(), true, (key, account) -> key.equals(account.getAccountId()) ? null
            : "key " + key + " is not the record's accountId " + account.getAccountId());
    KStream<String, SweepRecord> sweeps = decoded(builder, settings, "sweeps", settings.sweepsTopic(),
        serdes.sweep().deserializer(), false, (key, sweep) -> key.equals(sweep.getAccountId()) ? null
            : "key " + key + " is not the record's accountId " + sweep.getAccountId());

    Map<String, KStream<String, SpecificRecord>> detected = observations
        .processValues(() -> new ChangeDetectionProcessor(settings), Named.as("detect-changes"),
            StoreNames.CASE_TRACKER, StoreNames.CASE_HISTORY, StoreNames.ERASED_CASES)
        .split(Named.as("detected-"))
        .branch((key, value) -> value instanceof CaseChange, Branched.as("changes"))
        .defaultBranch(Branched.as("states"));

    detected.get("detected-changes")
        .mapValues(value -> (CaseChange) value, Named.as("as-change"))
        .to(settings.changesTopic(), Produced.with(Serdes.String(), serdes.change()).withName("case-changes-out"));

    KTable<String, CaseState> trackedCases = detected.get("detected-states")
        .mapValues(value -> (CaseState) value, Named.as("as-state"))
        .toTable(Named.as("tracked-cases"), Materialized.<String, CaseState, KeyValueStore<Bytes, byte[]>>as(StoreNames.TRACKED_CASES)
            .withKeySerde(Serdes.String()).withValueSerde(serdes.internalState()));

    KTable<String, AccountRecord> accountTable = accounts.toTable(Named.as("accounts-table"),
        Materialized.<String, AccountRecord, KeyValueStore<Bytes, byte[]>>as(StoreNames.ACCOUNTS)
            .withKeySerde(Serdes.String()).withValueSerde(serdes.internalAccount()));

    // Only cases of current member accounts: an account's tombstone deletes its cases here,
    // downstream in casefeed.cases and in the pivot.
    KTable<String, CaseState> cases = trackedCases.join(accountTable, CaseState::getAccountId, (caseState, account) -> caseState,
        TableJoined.as("cases-of-member-accounts"),
        Materialized.<String, CaseState, KeyValueStore<Bytes, byte[]>>as(StoreNames.CASES)
            .withKeySerde(Serdes.String()).withValueSerde(serdes.internalState()));
    cases.toStream(Named.as("cases-stream"))
        .to(settings.casesTopic(), Produced.with(Serdes.String(), serdes.state()).withName("cases-out"));

    cases.groupBy((caseKey, state) -> KeyValue.pair(PivotCell.of(state.getCaseDetails()).key(), caseKey),
            Grouped.with("pivot-by-cell", Serdes.String(), Serdes.String()))
        .count(Named.as("pivot-count"), Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as(StoreNames.PIVOT_COUNTS)
            .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
        .toStream(Named.as("pivot-stream"))
        .processValues(CellCountProcessor::new, Named.as("pivot-cell-count"))
        .to(settings.countsTopic(), Produced.with(Serdes.String(), serdes.count()).withName("case-counts-out"));

    sweeps.toTable(Named.as("coverage-table"), Materialized.<String, SweepRecord, KeyValueStore<Bytes, byte[]>>as(StoreNames.COVERAGE)
        .withKeySerde(Serdes.String()).withValueSerde(serdes.internalSweep()));

    return builder.build();
  }

  /**
   * Reads {@code topic} as bytes and decodes each value; records that cannot be processed go to the
   * dead-letter topic with their original key and value bytes.
   */
  private static <T> KStream<String, T> decoded(StreamsBuilder builder, TopologySettings settings, String name, String topic,
      Deserializer<T> deserializer, boolean tombstonesAllowed, BiFunction<String, T, String> keyProblem) {
    Map<String, KStream<String, Decoded<T>>> branches = builder
        .stream(topic, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(name + "-in"))
        .processValues(() -> new DecodingProcessor<>(deserializer, tombstonesAllowed, keyProblem, settings), Named.as(name + "-decode"))
        .split(Named.as(name + "-"))
        .branch((key, decoded) -> decoded.isFailed(), Branched.as("dead"))
        .defaultBranch(Branched.as("ok"));
    branches.get(name + "-dead")
        .mapValues(Decoded::rawValue, Named.as(name + "-dead-bytes"))
        .to(settings.deadLetterTopic(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName(name + "-dead-letter-out"));
    return branches.get(name + "-ok").mapValues(Decoded::value, Named.as(name + "-value"));
  }

  static String observationKeyProblem(String key, CaseObservation observation) {
    String expected = CaseKeys.of(observation.getAccountId(), observation.getCaseDetails().getCaseId());
    if (!key.equals(expected)) {
      return "key " + key + " is not <accountId>:<caseId> of the record (" + expected + ")";
    }
    if (!Objects.equals(observation.getAccountId(), observation.getCaseDetails().getAccountId())) {
      return "accountId " + observation.getAccountId() + " differs from caseDetails.accountId " + observation.getCaseDetails().getAccountId();
    }
    return null;
  }

  /** Turns a cell's count into a casefeed.case-counts record; an emptied cell becomes a tombstone. */
  private static final class CellCountProcessor implements FixedKeyProcessor<String, Long, CaseCount> {
    private FixedKeyProcessorContext<String, CaseCount> context;

    @Override
    public void init(FixedKeyProcessorContext<String, CaseCount> context) {
      this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, Long> record) {
      Long count = record.value();
      CaseCount value = count == null || count <= 0 ? null
          : PivotCell.parse(record.key()).toCount(count, Instant.ofEpochMilli(record.timestamp()));
      context.forward(record.withValue(value));
    }
  }
}
