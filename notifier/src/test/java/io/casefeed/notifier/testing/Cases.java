package io.casefeed.notifier.testing;

import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.SweepRecord;
import java.time.Instant;
import java.util.List;

/** Builders for the records the notifier reads, with AWS-shaped values. */
public final class Cases {

  /** AWS Support writes timeCreated with milliseconds and Z. */
  public static final java.time.format.DateTimeFormatter AWS_TIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

  private Cases() {}

  public static CaseDetails details(String accountId, String displayId, String subject, String status, String severity,
      Instant created) {
    return CaseDetails.newBuilder()
        .setAccountId(accountId)
        .setCaseId("case-" + accountId + "-muen-2026-" + displayId)
        .setDisplayId(displayId)
        .setSubject(subject)
        .setStatus(status)
        .setServiceCode("amazon-elastic-compute-cloud-linux")
        .setCategoryCode("other")
        .setSeverityCode(severity)
        .setSubmittedBy("ops@example.com")
        .setTimeCreated(AWS_TIME.format(created))
        .setTimeCreatedAt(created)
        .setCcEmailAddresses(List.of())
        .setLanguage("en")
        .setRecentCommunications(List.of())
        .build();
  }

  public static CaseState state(CaseDetails d, Instant firstSeen, boolean backfill, Instant waitingSince) {
    return CaseState.newBuilder()
        .setAccountId(d.getAccountId())
        .setCaseDetails(d)
        .setVersion(1)
        .setLastChangeType("CASE_OPENED")
        .setBackfill(backfill)
        .setFirstSeenAt(firstSeen)
        .setLastChangedAt(firstSeen)
        .setLastObservedAt(firstSeen)
        .setWaitingOnCustomerSince(waitingSince)
        .setResolvedAt("resolved".equals(d.getStatus()) ? firstSeen : null)
        .build();
  }

  public static CaseChange change(String type, CaseDetails previous, CaseDetails current, Instant observedAt, boolean backfill) {
    return CaseChange.newBuilder()
        .setEventId(current.getCaseId() + ":" + type + ":" + observedAt.toEpochMilli())
        .setAccountId(current.getAccountId())
        .setCaseId(current.getCaseId())
        .setChangeType(type)
        .setChangedFields(List.of())
        .setVersion(1)
        .setObservedAt(observedAt)
        .setBackfill(backfill)
        .setPrevious(previous)
        .setCurrent(current)
        .build();
  }

  /** A case as an alert or a change keeps it. */
  public static io.casefeed.notifier.view.CaseSummary summary(CaseDetails d) {
    return io.casefeed.notifier.view.CaseSummary.of(d);
  }

  /** A case as the book keeps it. */
  public static io.casefeed.notifier.view.CaseSummary summary(CaseState state) {
    return io.casefeed.notifier.view.CaseSummary.of(state);
  }

  public static CaseDetails withSeverity(CaseDetails d, String severity) {
    return CaseDetails.newBuilder(d).setSeverityCode(severity).build();
  }

  public static CaseDetails withStatus(CaseDetails d, String status) {
    return CaseDetails.newBuilder(d).setStatus(status).build();
  }

  public static AccountRecord account(String accountId, String name, Instant at) {
    return AccountRecord.newBuilder().setAccountId(accountId).setName(name).setStatus("ACTIVE")
        .setSources(List.of("static")).setRoleArn(null).setUpdatedAt(at).build();
  }

  public static SweepRecord sweep(String accountId, String outcome, String reason, Instant at) {
    return SweepRecord.newBuilder().setAccountId(accountId).setPollId("poll-" + at.toEpochMilli()).setPollKind("fast")
        .setOutcome(outcome).setReason(reason).setPages(1).setApiCalls(1).setCases(0).setFirstReading(false)
        .setStartedAt(at.minusMillis(200)).setFinishedAt(at).setDurationMs(200).setCollectorId("test").build();
  }
}
