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
    String caseListCsv) {

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
