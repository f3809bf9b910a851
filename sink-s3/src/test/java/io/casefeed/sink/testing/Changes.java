package io.casefeed.sink.testing;

import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseState;
import java.time.Instant;
import java.util.List;

/** Test data: change events and case states with the fields the sink writes. */
public final class Changes {

  private Changes() {}

  public static CaseDetails details(String accountId, int n, String subject) {
    return CaseDetails.newBuilder()
        .setAccountId(accountId)
        .setCaseId("case-" + accountId + "-muen-2026-" + String.format("%016x", n))
        .setDisplayId(Integer.toString(170000000 + n))
        .setSubject(subject)
        .setStatus(n % 3 == 0 ? "resolved" : "opened")
        .setServiceCode(n % 2 == 0 ? "amazon-ec2" : "amazon-s3")
        .setCategoryCode("other")
        .setSeverityCode(n % 4 == 0 ? "high" : "low")
        .setSubmittedBy("user" + n + "@example.com")
        .setTimeCreated("2026-11-2" + (n % 5) + "T10:00:0" + (n % 10) + ".123Z")
        .setTimeCreatedAt(Instant.parse("2026-11-2" + (n % 5) + "T10:00:0" + (n % 10) + ".123Z"))
        .setLanguage(n % 7 == 0 ? "ja" : "en")
        .build();
  }

  public static CaseChange change(int n, Instant observedAt) {
    String account = "1111111111" + (10 + n % 3);
    return CaseChange.newBuilder()
        .setEventId("event-" + n)
        .setAccountId(account)
        .setCaseId(details(account, n, "x").getCaseId())
        .setChangeType(n % 2 == 0 ? "CASE_OPENED" : "STATUS_CHANGED")
        .setChangedFields(List.of("status"))
        .setVersion(1 + n % 4)
        .setObservedAt(observedAt)
        .setCurrent(details(account, n, "Subject " + n + ", with \"quotes\"\nand a newline"))
        .build();
  }

  public static CaseState state(CaseDetails details, Instant at) {
    return CaseState.newBuilder()
        .setAccountId(details.getAccountId())
        .setCaseDetails(details)
        .setVersion(1)
        .setLastChangeType("CASE_OPENED")
        .setFirstSeenAt(at)
        .setLastChangedAt(at)
        .setLastObservedAt(at)
        .build();
  }
}
