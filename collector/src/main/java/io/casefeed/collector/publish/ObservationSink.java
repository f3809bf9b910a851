package io.casefeed.collector.publish;

import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.SweepRecord;
import java.util.concurrent.CompletableFuture;

/** Where polls put what they saw; the futures complete when the record is durably stored. */
public interface ObservationSink {

  CompletableFuture<Void> observation(CaseObservation observation);

  CompletableFuture<Void> sweep(SweepRecord sweep);
}
