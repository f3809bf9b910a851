package io.casefeed.notifier.view;

import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseState;
import java.time.Instant;
import java.util.List;

/**
 * What the notifier keeps of one case: the fields its mails and the {@code case_list.csv} attachment
 * show, and nothing else. A whole {@link CaseState} carries the case's recent communications (bodies
 * and all) and its cc addresses; kept for ~100,000 cases at 1,000 accounts they exhausted a 256 MB
 * heap (#19). Times are epoch millis ({@link #NONE} for none): Avro's timestamp-millis loses nothing,
 * and a long costs 8 bytes where an {@link Instant} costs 24 more. The few-valued strings (account,
 * status, severity, service, ...) are interned, so 100,000 cases share a handful of copies.
 */
public record CaseSummary(
    String accountId,
    String caseId,
    String displayId,
    String subject,
    String status,
    String severity,
    String service,
    String category,
    String submittedBy,
    String timeCreated,
    long timeCreatedAtMillis,
    String language,
    long version,
    String lastChangeType,
    boolean backfill,
    long firstSeenAtMillis,
    long lastChangedAtMillis,
    long lastObservedAtMillis,
    long resolvedAtMillis,
    int reopenCount,
    long firstAwsResponseAtMillis,
    long timeToFirstAwsResponseMs,
    long waitingOnCustomerSinceMillis,
    long timeToResolveMs) {

  /** Stands for a missing time or duration. */
  public static final long NONE = Long.MIN_VALUE;

  /** A case as the cases topic gives it (already through the privacy policy). */
  public static CaseSummary of(CaseState state) {
    CaseDetails d = state.getCaseDetails();
    return new CaseSummary(shared(state.getAccountId()), d.getCaseId(), d.getDisplayId(), d.getSubject(), shared(d.getStatus()),
        shared(d.getSeverityCode()), shared(d.getServiceCode()), shared(d.getCategoryCode()), shared(d.getSubmittedBy()),
        d.getTimeCreated(), millis(d.getTimeCreatedAt()), shared(d.getLanguage()), state.getVersion(),
        shared(state.getLastChangeType()), state.getBackfill(), millis(state.getFirstSeenAt()), millis(state.getLastChangedAt()),
        millis(state.getLastObservedAt()), millis(state.getResolvedAt()), state.getReopenCount(),
        millis(state.getFirstAwsResponseAt()), orNone(state.getTimeToFirstAwsResponseMs()),
        millis(state.getWaitingOnCustomerSince()), orNone(state.getTimeToResolveMs()));
  }

  /** A case as a change gives it: its details alone, with no lifecycle times. */
  public static CaseSummary of(CaseDetails d) {
    return new CaseSummary(shared(d.getAccountId()), d.getCaseId(), d.getDisplayId(), d.getSubject(), shared(d.getStatus()),
        shared(d.getSeverityCode()), shared(d.getServiceCode()), shared(d.getCategoryCode()), shared(d.getSubmittedBy()),
        d.getTimeCreated(), millis(d.getTimeCreatedAt()), shared(d.getLanguage()), 0, null, false, NONE, NONE, NONE, NONE, 0,
        NONE, NONE, NONE, NONE);
  }

  /**
   * This case with the per-case strings (case id, display id, subject, AWS's creation time) that
   * equal {@code known}'s taken from it: a change and the case's state then share one copy each.
   */
  public CaseSummary sharingStringsWith(CaseSummary known) {
    if (known == null) {
      return this;
    }
    return new CaseSummary(accountId, same(caseId, known.caseId), same(displayId, known.displayId),
        same(subject, known.subject), status, severity, service, category, submittedBy, same(timeCreated, known.timeCreated),
        timeCreatedAtMillis, language, version, lastChangeType, backfill, firstSeenAtMillis, lastChangedAtMillis,
        lastObservedAtMillis, resolvedAtMillis, reopenCount, firstAwsResponseAtMillis, timeToFirstAwsResponseMs,
        waitingOnCustomerSinceMillis, timeToResolveMs);
  }

  private static String same(String mine, String known) {
    return mine != null && mine.equals(known) ? known : mine;
  }

  public Instant timeCreatedAt() {
    return instant(timeCreatedAtMillis);
  }

  public Instant firstSeenAt() {
    return instant(firstSeenAtMillis);
  }

  public Instant lastChangedAt() {
    return instant(lastChangedAtMillis);
  }

  public Instant waitingOnCustomerSince() {
    return instant(waitingOnCustomerSinceMillis);
  }

  /**
   * The case as a record again, for {@code CaseListCsv} (the attachment's one definition of its
   * columns). Built only while a digest is rendered; the communications and cc addresses, which no
   * column shows, are left empty.
   */
  public CaseState toCaseState() {
    CaseDetails details = CaseDetails.newBuilder()
        .setAccountId(accountId).setCaseId(caseId).setDisplayId(displayId).setSubject(subject).setStatus(status)
        .setServiceCode(service).setCategoryCode(category).setSeverityCode(severity).setSubmittedBy(submittedBy)
        .setTimeCreated(timeCreated).setTimeCreatedAt(instant(timeCreatedAtMillis)).setCcEmailAddresses(List.of())
        .setLanguage(language).setRecentCommunications(List.of()).setRecentCommunicationsNextToken(null)
        .build();
    return CaseState.newBuilder()
        .setAccountId(accountId).setCaseDetails(details).setVersion(version)
        .setLastChangeType(lastChangeType == null ? "" : lastChangeType).setBackfill(backfill)
        .setFirstSeenAt(instant(firstSeenAtMillis)).setLastChangedAt(instant(lastChangedAtMillis))
        .setLastObservedAt(instant(lastObservedAtMillis)).setResolvedAt(instant(resolvedAtMillis))
        .setReopenCount(reopenCount).setFirstAwsResponseAt(instant(firstAwsResponseAtMillis))
        .setTimeToFirstAwsResponseMs(boxed(timeToFirstAwsResponseMs)).setLastCustomerActionAt(null)
        .setWaitingOnCustomerSince(instant(waitingOnCustomerSinceMillis)).setTimeToResolveMs(boxed(timeToResolveMs))
        .build();
  }

  /** Few distinct values, repeated in every case: one shared copy each. */
  static String shared(String value) {
    return value == null ? null : value.intern();
  }

  private static long millis(Instant instant) {
    return instant == null ? NONE : instant.toEpochMilli();
  }

  private static long orNone(Long value) {
    return value == null ? NONE : value;
  }

  private static Instant instant(long millis) {
    return millis == NONE ? null : Instant.ofEpochMilli(millis);
  }

  private static Long boxed(long value) {
    return value == NONE ? null : value;
  }
}
