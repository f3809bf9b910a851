package io.casefeed.notifier.view;

import io.casefeed.schema.CaseChange;
import java.time.Instant;

/**
 * What a digest needs of one change: its kind, when it was seen, whether it was history (backfill),
 * the severity before it, and the case as it became. The previous and current {@code CaseDetails}
 * of a {@link CaseChange} each carry communications; kept for every change of a digest period they
 * were most of the notifier's heap (#19).
 */
public record DigestChange(String eventId, String changeType, long observedAtMillis, boolean backfill,
    String previousSeverity, CaseSummary current) {

  /** @param known the case as the book has it, or null: its strings are shared where equal */
  public static DigestChange of(CaseChange change, CaseSummary known) {
    return new DigestChange(change.getEventId(), CaseSummary.shared(change.getChangeType()),
        change.getObservedAt().toEpochMilli(), change.getBackfill(),
        change.getPrevious() == null ? null : CaseSummary.shared(change.getPrevious().getSeverityCode()),
        CaseSummary.of(change.getCurrent()).sharingStringsWith(known));
  }

  public String accountId() {
    return current.accountId();
  }

  public Instant observedAt() {
    return Instant.ofEpochMilli(observedAtMillis);
  }
}
