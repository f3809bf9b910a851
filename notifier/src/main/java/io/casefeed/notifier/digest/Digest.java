package io.casefeed.notifier.digest;

import io.casefeed.notifier.render.CaseLine;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** Everything one digest says to one recipient group, ready to render. */
public record Digest(
    String group,
    Instant periodStart,
    Instant periodEnd,
    ZoneId zone,
    List<CoverageLine> coverage,
    List<PivotRow> pivot,
    List<CaseLine> opened,
    List<CaseLine> resolved,
    List<CaseLine> escalated,
    List<CaseLine> reopened,
    int backfilled,
    List<CaseLine> oldestOpen,
    List<CaseLine> urgentOpen,
    List<CaseLine> waitingOnCustomer,
    int totalCases,
    String caseListCsv,
    List<Undelivered> undelivered) {

  /** A digest with nothing undelivered to report. */
  public Digest(String group, Instant periodStart, Instant periodEnd, ZoneId zone, List<CoverageLine> coverage,
      List<PivotRow> pivot, List<CaseLine> opened, List<CaseLine> resolved, List<CaseLine> escalated,
      List<CaseLine> reopened, int backfilled, List<CaseLine> oldestOpen, List<CaseLine> urgentOpen,
      List<CaseLine> waitingOnCustomer, int totalCases, String caseListCsv) {
    this(group, periodStart, periodEnd, zone, coverage, pivot, opened, resolved, escalated, reopened, backfilled, oldestOpen,
        urgentOpen, waitingOnCustomer, totalCases, caseListCsv, List.of());
  }

  /**
   * A mail or channel post of the group that did not go through in the period: a channel answering 4xx
   * for good (a revoked webhook) or a mail SES refused, so the people who read the digest hear of it.
   *
   * @param recipient the address, or the channel target as "slack:oncall"
   * @param stage rejected or failed
   */
  public record Undelivered(String recipient, String kind, String stage, String error, Instant at) {}

  /** One account's readability. */
  public record CoverageLine(String accountId, String accountName, String status, boolean readable, String reason) {
    public String accountLabel() {
      return accountName == null ? accountId : accountName + " (" + accountId + ")";
    }
  }

  /** Case counts of one account and status, by severity (Severity.ORDER, then "other"). */
  public record PivotRow(String accountLabel, String status, Map<String, Long> countsBySeverity, long total) {}

  public long unreadableAccounts() {
    return coverage.stream().filter(c -> !c.readable()).count();
  }
}
