package io.casefeed.streams.topology;

import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.CaseState;
import io.casefeed.streams.change.ChangeDetector;
import io.casefeed.streams.change.Detection;
import io.casefeed.streams.change.Erasures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Compares each observation with the case's tracked state; forwards each change event and then the
 * new state, and nothing at all for a repeat. The change history of each case is kept bounded.
 *
 * <p>A tombstone (null observation, written by {@code casefeed erase}) erases the case: its tracked
 * state and change history are deleted (so their changelogs get tombstones too), a null state is
 * forwarded so the case leaves tracked-cases, cases, the pivot and casefeed.cases, and the erase
 * time is kept in {@link StoreNames#ERASED_CASES}. Observations read before that time are dropped;
 * later ones are tracked again with the erased data scrubbed out ({@link Erasures}).
 */
final class ChangeDetectionProcessor implements FixedKeyProcessor<String, CaseObservation, SpecificRecord> {

  private static final StringSerializer KEYS = new StringSerializer();

  private final TopologySettings settings;
  private FixedKeyProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, CaseState> tracker;
  private KeyValueStore<String, CaseChange> history;
  private KeyValueStore<String, Long> erased;

  ChangeDetectionProcessor(TopologySettings settings) {
    this.settings = settings;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.tracker = context.getStateStore(StoreNames.CASE_TRACKER);
    this.history = context.getStateStore(StoreNames.CASE_HISTORY);
    this.erased = context.getStateStore(StoreNames.ERASED_CASES);
  }

  @Override
  public void process(FixedKeyRecord<String, CaseObservation> record) {
    if (record.value() == null) {
      erase(record);
      return;
    }
    CaseObservation observation = record.value();
    settings.listener().observation(observation.getObservedAt());
    Long erasedAtMillis = erased.get(record.key());
    if (erasedAtMillis != null) {
      Instant erasedAt = Instant.ofEpochMilli(erasedAtMillis);
      if (Erasures.predates(observation, erasedAt)) {
        return;
      }
      observation = Erasures.scrub(observation, erasedAt);
    }
    CaseState previous = tracker.get(record.key());
    Detection detection = ChangeDetector.detect(previous, observation);
    if (!detection.changed()) {
      return;
    }
    tracker.put(record.key(), detection.state());
    for (CaseChange change : detection.changes()) {
      history.put(HistoryStoreKeys.of(record.key(), change.getVersion()), change);
      long expired = change.getVersion() - settings.historyMaxChanges();
      if (expired > 0) {
        history.delete(HistoryStoreKeys.of(record.key(), expired));
      }
      settings.listener().change(change.getChangeType());
      context.forward(record.withValue(change));
    }
    context.forward(record.withValue(detection.state()));
  }

  /** The erase time is the tombstone's timestamp, so a replay of the topic erases at the same instant. */
  private void erase(FixedKeyRecord<String, CaseObservation> record) {
    String caseKey = record.key();
    Long already = erased.get(caseKey);
    erased.put(caseKey, already == null ? record.timestamp() : Math.max(already, record.timestamp()));
    tracker.delete(caseKey);
    List<String> changeKeys = new ArrayList<>();
    try (var changes = history.prefixScan(HistoryStoreKeys.prefix(caseKey), KEYS)) {
      changes.forEachRemaining(entry -> changeKeys.add(entry.key));
    }
    changeKeys.forEach(history::delete);
    context.forward(record.withValue((SpecificRecord) null));
  }
}
