package io.casefeed.streams.testing;

import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.Communication;
import io.casefeed.schema.SweepRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds test cases, observations and accounts with readable defaults. */
public final class Cases {

  public static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

  private Cases() {}

  public static CaseDetails.Builder details(String accountId, String caseId) {
    return CaseDetails.newBuilder()
        .setAccountId(accountId)
        .setCaseId(caseId)
        .setDisplayId("1" + Math.abs(caseId.hashCode()))
        .setSubject("EC2 instance unreachable")
        .setStatus("opened")
        .setServiceCode("amazon-elastic-compute-cloud-linux")
        .setCategoryCode("instance-issue")
        .setSeverityCode("normal")
        .setSubmittedBy("ops@example.com")
        .setTimeCreated("2026-11-20T07:55:00.000Z")
        .setTimeCreatedAt(Instant.parse("2026-11-20T07:55:00Z"))
        .setCcEmailAddresses(new ArrayList<>())
        .setLanguage("en")
        .setRecentCommunications(new ArrayList<>());
  }

  public static Communication communication(String by, String body, Instant at) {
    return Communication.newBuilder()
        .setBody(body)
        .setSubmittedBy(by)
        .setTimeCreated(at.toString())
        .setTimeCreatedAt(at)
        .build();
  }

  public static Communication aws(String body, Instant at) {
    return communication("Amazon Web Services", body, at);
  }

  public static Communication customer(String body, Instant at) {
    return communication("ops@example.com", body, at);
  }

  /** Newest first, as AWS returns them. */
  public static List<Communication> newestFirst(Communication... communications) {
    List<Communication> list = new ArrayList<>(List.of(communications));
    list.sort((a, b) -> b.getTimeCreated().compareTo(a.getTimeCreated()));
    return list;
  }

  public static CaseObservation observation(CaseDetails details, Instant observedAt) {
    return observation(details, observedAt, false);
  }

  public static CaseObservation observation(CaseDetails details, Instant observedAt, boolean firstReading) {
    return CaseObservation.newBuilder()
        .setAccountId(details.getAccountId())
        .setCaseDetails(details)
        .setObservedAt(observedAt)
        .setPollId("poll-" + observedAt.toEpochMilli())
        .setPollKind("fast")
        .setFirstReading(firstReading)
        .build();
  }

  public static AccountRecord account(String accountId) {
    return AccountRecord.newBuilder()
        .setAccountId(accountId)
        .setName("account " + accountId)
        .setStatus("ACTIVE")
        .setSources(List.of("static"))
        .setUpdatedAt(T0)
        .build();
  }

  public static SweepRecord sweep(String accountId, String outcome, Instant finishedAt) {
    return SweepRecord.newBuilder()
        .setAccountId(accountId)
        .setPollId("poll-" + finishedAt.toEpochMilli())
        .setPollKind("fast")
        .setOutcome(outcome)
        .setReason("ok".equals(outcome) ? null : "because")
        .setStartedAt(finishedAt.minusSeconds(2))
        .setFinishedAt(finishedAt)
        .setDurationMs(2000)
        .build();
  }
}
