package io.casefeed.schemas;

import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseCount;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.NotificationRecord;
import io.casefeed.schema.SupportEvent;
import io.casefeed.schema.SweepRecord;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The catalogue of casefeed's topics: the one place that says what each topic holds. Keys are plain
 * UTF-8 strings on every topic, so partitioning never depends on a schema id.
 */
public final class Topics {

  public static final TopicSpec ACCOUNTS = new TopicSpec(
      "casefeed.accounts", KeyFormat.ACCOUNT_ID, AccountRecord.class, 12, CleanupPolicy.COMPACT, null,
      "The member accounts casefeed reads; a removed account is a tombstone. Its partitions share the accounts among collector instances.");
  public static final TopicSpec CASE_OBSERVATIONS = new TopicSpec(
      "casefeed.case-observations", KeyFormat.CASE_KEY, CaseObservation.class, 12, CleanupPolicy.DELETE, Duration.ofDays(7),
      "One record per case seen per poll; mostly repeats.");
  public static final TopicSpec SWEEPS = new TopicSpec(
      "casefeed.sweeps", KeyFormat.ACCOUNT_ID, SweepRecord.class, 12, CleanupPolicy.DELETE, Duration.ofDays(30),
      "One record per account poll: outcome and counts.");
  public static final TopicSpec CASE_CHANGES = new TopicSpec(
      "casefeed.case-changes", KeyFormat.CASE_KEY, CaseChange.class, 12, CleanupPolicy.DELETE, Duration.ofDays(365),
      "The deduplicated change feed downstream teams subscribe to.");
  public static final TopicSpec CASES = new TopicSpec(
      "casefeed.cases", KeyFormat.CASE_KEY, CaseState.class, 12, CleanupPolicy.COMPACT, null,
      "Latest state of every case, with derived lifecycle fields.");
  public static final TopicSpec CASE_COUNTS = new TopicSpec(
      "casefeed.case-counts", KeyFormat.PIVOT_CELL, CaseCount.class, 6, CleanupPolicy.COMPACT, null,
      "Pivot cells: cases by account x status x severity x service x language.");
  public static final TopicSpec NOTIFICATIONS = new TopicSpec(
      "casefeed.notifications", KeyFormat.MAIL_ID, NotificationRecord.class, 3, CleanupPolicy.COMPACT, null,
      "Intent and completion of every mail the notifier sends.");
  public static final TopicSpec SUPPORT_EVENTS = new TopicSpec(
      "casefeed.support-events", KeyFormat.ACCOUNT_ID, SupportEvent.class, ACCOUNTS.defaultPartitions(), CleanupPolicy.DELETE,
      Duration.ofDays(7),
      "AWS Support's own case events from EventBridge, one record per SQS delivery; co-partitioned with casefeed.accounts.");
  public static final TopicSpec DEAD_LETTER = new TopicSpec(
      "casefeed.dead-letter", KeyFormat.ORIGINAL, null, 3, CleanupPolicy.DELETE, Duration.ofDays(30),
      "Records that could not be processed: the original key and value bytes, the reason in headers.");

  public static final List<TopicSpec> ALL = List.of(
      ACCOUNTS, CASE_OBSERVATIONS, SWEEPS, CASE_CHANGES, CASES, CASE_COUNTS, NOTIFICATIONS, SUPPORT_EVENTS, DEAD_LETTER);

  private Topics() {}

  public static Optional<TopicSpec> byName(String name) {
    return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
