package io.casefeed.streams.topology;

import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.CaseState;
import io.casefeed.streams.change.ChangeDetector;
import io.casefeed.streams.change.Detection;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Compares each observation with the case's tracked state; forwards each change event and then the
 * new state, and nothing at all for a repeat. The change history of each case is kept bounded.
 */
final class ChangeDetectionProcessor implements FixedKeyProcessor<String, CaseObservation, SpecificRecord> {

  private final TopologySettings settings;
  private FixedKeyProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, CaseState> tracker;
  private KeyValueStore<String, CaseChange> history;

  ChangeDetectionProcessor(TopologySettings settings) {
    this.settings = settings;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.tracker = context.getStateStore(StoreNames.CASE_TRACKER);
    this.history = context.getStateStore(StoreNames.CASE_HISTORY);
  }

  @Override
  public void process(FixedKeyRecord<String, CaseObservation> record) {
    CaseObservation observation = record.value();
    settings.listener().observation(observation.getObservedAt());
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
}
