package io.casefeed.collector.publish;

import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.SweepRecord;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** Where polls put what they saw; the futures complete when the record is durably stored. */
public interface ObservationSink {

  CompletableFuture<Void> observation(CaseObservation observation);

  CompletableFuture<Void> sweep(SweepRecord sweep);

  /**
   * A Support reply item that cannot become an observation, kept (on the dead-letter topic) so that
   * a person can see what AWS sent, while the rest of the poll goes on.
   */
  CompletableFuture<Void> unreadable(UnreadableItem item);

  /**
   * A Support reply item already dead-lettered, seen again unchanged: not stored a second time, only
   * counted, so that the metric still shows that AWS keeps returning it.
   */
  void unreadableAgain(UnreadableItem item);

  /**
   * @param item the item as AWS sent it, as JSON text
   * @param cause why the mapping refused the item; null when {@code reason} says it all
   * @param seenAt when the reply holding the item was read
   */
  record UnreadableItem(String accountId, String reason, Throwable cause, String item, Instant seenAt) {}
}
