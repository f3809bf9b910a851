package io.casefeed.sink.format;

import io.casefeed.schemas.table.Table;
import io.casefeed.schemas.table.Column;
import io.casefeed.schemas.table.ColumnType;

import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseDetails;
import java.time.Instant;
import java.util.List;

/**
 * One change event with where it sits in Kafka: the row of the change-history table. The Kafka
 * coordinates are columns too, so anyone can check that the history holds every offset once.
 */
public record ChangeRow(String topic, int partition, long offset, long timestamp, CaseChange change) {

  public static final Table<ChangeRow> TABLE = new Table<>("CaseChangeRow", "One event of casefeed.case-changes, flattened.", List.of(
      new Column<ChangeRow>("event-id", "event_id", ColumnType.STRING, r -> r.change().getEventId()),
      new Column<ChangeRow>("account-id", "account_id", ColumnType.STRING, r -> r.change().getAccountId()),
      new Column<ChangeRow>("aws-case-id", "aws_case_id", ColumnType.STRING, r -> r.change().getCaseId()),
      new Column<ChangeRow>("case-id", "case_id", ColumnType.STRING, r -> current(r).getDisplayId()),
      new Column<ChangeRow>("change-type", "change_type", ColumnType.STRING, r -> r.change().getChangeType()),
      new Column<ChangeRow>("changed-fields", "changed_fields", ColumnType.STRING, r -> String.join(",", r.change().getChangedFields())),
      new Column<ChangeRow>("communication-author", "communication_author", ColumnType.STRING, r -> r.change().getCommunicationAuthor()),
      new Column<ChangeRow>("version", "version", ColumnType.LONG, r -> r.change().getVersion()),
      new Column<ChangeRow>("observed-at", "observed_at", ColumnType.TIMESTAMP, r -> millis(r.change().getObservedAt())),
      new Column<ChangeRow>("backfill", "backfill", ColumnType.BOOLEAN, r -> r.change().getBackfill()),
      new Column<ChangeRow>("status", "status", ColumnType.STRING, r -> current(r).getStatus()),
      new Column<ChangeRow>("previous-status", "previous_status", ColumnType.STRING, r -> previous(r) == null ? null : previous(r).getStatus()),
      new Column<ChangeRow>("severity", "severity", ColumnType.STRING, r -> current(r).getSeverityCode()),
      new Column<ChangeRow>("previous-severity", "previous_severity", ColumnType.STRING, r -> previous(r) == null ? null : previous(r).getSeverityCode()),
      new Column<ChangeRow>("service", "service", ColumnType.STRING, r -> current(r).getServiceCode()),
      new Column<ChangeRow>("category", "category", ColumnType.STRING, r -> current(r).getCategoryCode()),
      new Column<ChangeRow>("language", "language", ColumnType.STRING, r -> current(r).getLanguage()),
      new Column<ChangeRow>("subject", "subject", ColumnType.STRING, r -> current(r).getSubject()),
      new Column<ChangeRow>("case-owner", "case_owner", ColumnType.STRING, r -> current(r).getSubmittedBy()),
      new Column<ChangeRow>("createdtime", "createdtime", ColumnType.STRING, r -> current(r).getTimeCreated()),
      new Column<ChangeRow>("created-at", "created_at", ColumnType.TIMESTAMP, r -> millis(current(r).getTimeCreatedAt())),
      new Column<ChangeRow>("kafka-topic", "kafka_topic", ColumnType.STRING, ChangeRow::topic),
      new Column<ChangeRow>("kafka-partition", "kafka_partition", ColumnType.INT, ChangeRow::partition),
      new Column<ChangeRow>("kafka-offset", "kafka_offset", ColumnType.LONG, ChangeRow::offset),
      new Column<ChangeRow>("kafka-timestamp", "kafka_timestamp", ColumnType.TIMESTAMP, ChangeRow::timestamp)));

  private static CaseDetails current(ChangeRow row) {
    return row.change().getCurrent();
  }

  private static CaseDetails previous(ChangeRow row) {
    return row.change().getPrevious();
  }

  private static Long millis(Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }
}
