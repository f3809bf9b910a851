package io.casefeed.schemas.table;

import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The case list, the seed's {@code case_list.csv} contract: the seed's eight columns first, in its
 * order and with its names, filled as the seed filled them from DescribeCases ({@code case-id} is
 * the displayId, {@code createdtime} AWS's timeCreated string unchanged), then casefeed's extra
 * columns. Shared by the S3 snapshot and the notifier's attachment.
 */
public final class CaseListCsv {

  public static final List<String> SEED_COLUMNS =
      List.of("case-id", "status", "severity", "service", "subject", "createdtime", "case-owner", "account-id");

  public static final Table<CaseState> TABLE = new Table<>("CaseListRow", "One case of the case_list snapshot.", List.of(
      new Column<CaseState>("case-id", "case_id", ColumnType.STRING, s -> details(s).getDisplayId()),
      new Column<CaseState>("status", "status", ColumnType.STRING, s -> details(s).getStatus()),
      new Column<CaseState>("severity", "severity", ColumnType.STRING, s -> details(s).getSeverityCode()),
      new Column<CaseState>("service", "service", ColumnType.STRING, s -> details(s).getServiceCode()),
      new Column<CaseState>("subject", "subject", ColumnType.STRING, s -> details(s).getSubject()),
      new Column<CaseState>("createdtime", "createdtime", ColumnType.STRING, s -> details(s).getTimeCreated()),
      new Column<CaseState>("case-owner", "case_owner", ColumnType.STRING, s -> details(s).getSubmittedBy()),
      new Column<CaseState>("account-id", "account_id", ColumnType.STRING, CaseState::getAccountId),
      new Column<CaseState>("aws-case-id", "aws_case_id", ColumnType.STRING, s -> details(s).getCaseId()),
      new Column<CaseState>("language", "language", ColumnType.STRING, s -> details(s).getLanguage()),
      new Column<CaseState>("category", "category", ColumnType.STRING, s -> details(s).getCategoryCode()),
      new Column<CaseState>("created-at", "created_at", ColumnType.TIMESTAMP, s -> millis(details(s).getTimeCreatedAt())),
      new Column<CaseState>("version", "version", ColumnType.LONG, CaseState::getVersion),
      new Column<CaseState>("last-change", "last_change", ColumnType.STRING, CaseState::getLastChangeType),
      new Column<CaseState>("last-changed-at", "last_changed_at", ColumnType.TIMESTAMP, s -> millis(s.getLastChangedAt())),
      new Column<CaseState>("first-seen-at", "first_seen_at", ColumnType.TIMESTAMP, s -> millis(s.getFirstSeenAt())),
      new Column<CaseState>("last-observed-at", "last_observed_at", ColumnType.TIMESTAMP, s -> millis(s.getLastObservedAt())),
      new Column<CaseState>("resolved-at", "resolved_at", ColumnType.TIMESTAMP, s -> millis(s.getResolvedAt())),
      new Column<CaseState>("reopen-count", "reopen_count", ColumnType.INT, CaseState::getReopenCount),
      new Column<CaseState>("first-aws-response-at", "first_aws_response_at", ColumnType.TIMESTAMP, s -> millis(s.getFirstAwsResponseAt())),
      new Column<CaseState>("time-to-first-aws-response-ms", "time_to_first_aws_response_ms", ColumnType.LONG, CaseState::getTimeToFirstAwsResponseMs),
      new Column<CaseState>("waiting-on-customer-since", "waiting_on_customer_since", ColumnType.TIMESTAMP, s -> millis(s.getWaitingOnCustomerSince())),
      new Column<CaseState>("time-to-resolve-ms", "time_to_resolve_ms", ColumnType.LONG, CaseState::getTimeToResolveMs),
      new Column<CaseState>("backfill", "backfill", ColumnType.BOOLEAN, CaseState::getBackfill)));

  /** Accounts in order, then cases newest first as DescribeCases lists them, then by case id. */
  public static final Comparator<CaseState> ORDER = Comparator.comparing(CaseState::getAccountId)
      .thenComparing((CaseState s) -> details(s).getTimeCreatedAt(), Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
      .thenComparing(s -> details(s).getCaseId());

  private CaseListCsv() {}

  /** The whole file, header first, rows in {@link #ORDER}. */
  public static String csv(Collection<CaseState> cases) {
    return TABLE.csv(sorted(cases));
  }

  public static byte[] csvBytes(Collection<CaseState> cases) {
    return csv(cases).getBytes(StandardCharsets.UTF_8);
  }

  public static List<CaseState> sorted(Collection<CaseState> cases) {
    List<CaseState> rows = new ArrayList<>(cases);
    rows.sort(ORDER);
    return rows;
  }

  private static CaseDetails details(CaseState state) {
    return state.getCaseDetails();
  }

  public static Long millis(Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }
}
