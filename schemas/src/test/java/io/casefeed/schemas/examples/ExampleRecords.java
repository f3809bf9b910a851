package io.casefeed.schemas.examples;

import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseCount;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.Communication;
import io.casefeed.schema.NotificationRecord;
import io.casefeed.schema.SupportEvent;
import io.casefeed.schema.SweepRecord;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.schemas.KeyFormat;
import io.casefeed.schemas.TopicSpec;
import io.casefeed.schemas.Topics;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One realistic example value per topic: the records docs/topics.md shows and the round-trip tests send. */
public final class ExampleRecords {

  public static final String ACCOUNT = "123456789012";
  public static final String CASE_ID = "case-123456789012-muen-2024-7c2e4ac0d4e86a8f";
  public static final String CASE_KEY = CaseKeys.of(ACCOUNT, CASE_ID);
  private static final Instant OBSERVED = Instant.parse("2026-11-26T08:15:30.250Z");

  private ExampleRecords() {}

  public static CaseDetails caseDetails() {
    return CaseDetails.newBuilder()
        .setAccountId(ACCOUNT)
        .setCaseId(CASE_ID)
        .setDisplayId("174839201")
        .setSubject("EC2 instance i-0abc unreachable after maintenance, \"urgent\"")
        .setStatus("pending-customer-action")
        .setServiceCode("amazon-elastic-compute-cloud-linux")
        .setCategoryCode("instance-issue")
        .setSeverityCode("high")
        .setSubmittedBy("ops@example.com")
        .setTimeCreated("2026-11-25T21:04:11.512Z")
        .setTimeCreatedAt(Instant.parse("2026-11-25T21:04:11.512Z"))
        .setCcEmailAddresses(List.of("oncall@example.com"))
        .setLanguage("en")
        .setRecentCommunications(List.of(
            Communication.newBuilder()
                .setBody("Could you share the instance's system log?")
                .setSubmittedBy("Amazon Web Services")
                .setTimeCreated("2026-11-26T07:58:02.004Z")
                .setTimeCreatedAt(Instant.parse("2026-11-26T07:58:02.004Z"))
                .build()))
        .build();
  }

  public static Map<TopicSpec, SpecificRecord> byTopic() {
    Map<TopicSpec, SpecificRecord> examples = new LinkedHashMap<>();
    examples.put(Topics.ACCOUNTS, AccountRecord.newBuilder()
        .setAccountId(ACCOUNT).setName("payments-prod").setStatus("ACTIVE")
        .setSources(List.of("organizations:111122223333"))
        .setRoleArn("arn:aws:iam::123456789012:role/GetSupportInfoRole")
        .setUpdatedAt(OBSERVED).build());
    examples.put(Topics.CASE_OBSERVATIONS, CaseObservation.newBuilder()
        .setAccountId(ACCOUNT).setCaseDetails(caseDetails()).setObservedAt(OBSERVED)
        .setPollId("123456789012/fast/2026-11-26T08:15:29.900Z").setPollKind("fast").setFirstReading(false).build());
    examples.put(Topics.SWEEPS, SweepRecord.newBuilder()
        .setAccountId(ACCOUNT).setPollId("123456789012/fast/2026-11-26T08:15:29.900Z").setPollKind("fast")
        .setOutcome("ok").setPages(1).setApiCalls(5).setCases(3).setFirstReading(false)
        .setStartedAt(Instant.parse("2026-11-26T08:15:29.900Z")).setFinishedAt(OBSERVED).setDurationMs(350)
        .setCollectorId("collector-1").build());
    CaseDetails before = CaseDetails.newBuilder(caseDetails()).setStatus("work-in-progress")
        .setRecentCommunications(List.of()).build();
    examples.put(Topics.CASE_CHANGES, CaseChange.newBuilder()
        .setEventId("3f1c9a7e5b2d4c60").setAccountId(ACCOUNT).setCaseId(CASE_ID)
        .setChangeType("STATUS_CHANGED").setChangedFields(List.of("status", "recentCommunications"))
        .setCommunicationAuthor(null).setVersion(4).setObservedAt(OBSERVED).setBackfill(false)
        .setPrevious(before).setCurrent(caseDetails()).build());
    examples.put(Topics.CASES, CaseState.newBuilder()
        .setAccountId(ACCOUNT).setCaseDetails(caseDetails()).setVersion(4).setLastChangeType("STATUS_CHANGED")
        .setBackfill(false)
        .setFirstSeenAt(Instant.parse("2026-11-25T21:05:00.000Z")).setLastChangedAt(OBSERVED).setLastObservedAt(OBSERVED)
        .setFirstAwsResponseAt(Instant.parse("2026-11-25T21:41:13.000Z")).setTimeToFirstAwsResponseMs(2_221_488L)
        .setLastCustomerActionAt(Instant.parse("2026-11-25T21:04:11.512Z"))
        .setWaitingOnCustomerSince(Instant.parse("2026-11-26T07:58:02.004Z")).build());
    examples.put(Topics.CASE_COUNTS, CaseCount.newBuilder()
        .setAccountId(ACCOUNT).setStatus("pending-customer-action").setSeverity("high")
        .setService("amazon-elastic-compute-cloud-linux").setLanguage("en").setCount(3).setUpdatedAt(OBSERVED).build());
    examples.put(Topics.NOTIFICATIONS, NotificationRecord.newBuilder()
        .setMailId("digest:2026-11-26T08:00:00Z:ops:ops@example.com").setKind("digest").setStage("sent")
        .setRecipientGroup("ops").setRecipient("ops@example.com").setPeriod("2026-11-26T08:00:00Z")
        .setSubject("casefeed digest: 42 open, 3 urgent, 5 new").setSesMessageId("0100018c-example")
        .setRecordedAt(OBSERVED).build());
    examples.put(Topics.SUPPORT_EVENTS, SupportEvent.newBuilder()
        .setEventId("1aa4458d-556f-732e-ddc1-4a5b2fbd14a5").setAccountId(ACCOUNT).setCaseId(CASE_ID)
        .setDisplayId("174563851").setCommunicationId("ekko-37bc67a7e8b1a7fbb8d2b2a6ad6d7e5d")
        .setEventName("AddCommunicationToCase").setOrigin("AWS").setRegion("us-east-1")
        .setEventTime(Instant.parse("2026-11-26T08:15:29Z")).setResources(List.of())
        .setReceivedAt(Instant.parse("2026-11-26T08:15:29.840Z"))
        .setSqsMessageId("5fea7756-0ea4-451a-a703-a558b933e274").build());
    return examples;
  }

  /** The key an example value travels with on its topic. */
  public static String keyFor(TopicSpec topic) {
    return switch (topic.keyFormat()) {
      case ACCOUNT_ID -> ACCOUNT;
      case CASE_KEY, ORIGINAL -> CASE_KEY;
      case PIVOT_CELL -> ACCOUNT + "|pending-customer-action|high|amazon-elastic-compute-cloud-linux|en";
      case MAIL_ID -> "digest:2026-11-26T08:00:00Z:ops:ops@example.com";
      case DEAD_LETTERED_ITEM -> KeyFormat.DEAD_LETTERED_ITEM.example();
    };
  }
}
