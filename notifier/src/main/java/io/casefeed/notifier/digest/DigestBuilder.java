package io.casefeed.notifier.digest;

import io.casefeed.notifier.render.Formats;
import io.casefeed.notifier.render.CaseLine;
import io.casefeed.notifier.view.Severity;
import io.casefeed.notifier.routing.RecipientGroup;
import io.casefeed.notifier.view.AccountCoverage;
import io.casefeed.notifier.view.CaseBook;
import io.casefeed.notifier.view.CaseSummary;
import io.casefeed.notifier.view.DigestChange;
import io.casefeed.schemas.table.CaseListCsv;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Builds one group's digest from the case book: pure, so what a digest says is unit-tested. */
public final class DigestBuilder {

  public static final String WAITING_ON_CUSTOMER = "pending-customer-action";
  public static final String RESOLVED = "resolved";
  static final String OTHER_SEVERITY = "other";

  private final String consoleCaseUrl;
  private final int oldestCases;
  private final ZoneId zone;

  public DigestBuilder(String consoleCaseUrl, int oldestCases, ZoneId zone) {
    this.consoleCaseUrl = consoleCaseUrl;
    this.oldestCases = oldestCases;
    this.zone = zone;
  }

  public Digest build(RecipientGroup group, CaseBook book, Instant periodStart, Instant periodEnd) {
    return build(group, book, periodStart, periodEnd, List.of());
  }

  /** @param undelivered the group's mails and posts that did not go through in the period, oldest first */
  public Digest build(RecipientGroup group, CaseBook book, Instant periodStart, Instant periodEnd,
      List<Digest.Undelivered> undelivered) {
    List<CaseSummary> cases = book.cases().stream()
        .filter(c -> group.follows(c.accountId(), book.accountName(c.accountId())))
        .toList();
    List<CaseSummary> open = cases.stream().filter(c -> !isResolved(c)).toList();

    List<CaseLine> opened = new ArrayList<>();
    List<CaseLine> resolved = new ArrayList<>();
    List<CaseLine> escalated = new ArrayList<>();
    List<CaseLine> reopened = new ArrayList<>();
    int backfilled = 0;
    for (DigestChange change : book.changesBetween(periodStart, periodEnd)) {
      if (!group.follows(change.accountId(), book.accountName(change.accountId()))) {
        continue;
      }
      CaseSummary details = change.current();
      switch (change.changeType()) {
        case "CASE_OPENED" -> {
          if (change.backfill()) {
            backfilled++;
          } else {
            opened.add(line(book, details, null));
          }
        }
        case "CASE_RESOLVED" -> resolved.add(line(book, details, null));
        case "CASE_REOPENED" -> reopened.add(line(book, details, null));
        case "SEVERITY_CHANGED" -> {
          String before = change.previousSeverity();
          if (Severity.rank(details.severity()) > Severity.rank(before)) {
            escalated.add(line(book, details, (before == null ? "?" : before) + " → " + details.severity()));
          }
        }
        default -> { }
      }
    }

    List<CaseLine> oldest = open.stream()
        .sorted(Comparator.comparing(DigestBuilder::createdAt).thenComparing(CaseSummary::caseId))
        .limit(oldestCases)
        .map(c -> line(book, c, null))
        .toList();
    List<CaseLine> urgent = open.stream()
        .filter(c -> Severity.rank(c.severity()) >= Severity.rank("urgent"))
        .sorted(Comparator.comparing((CaseSummary c) -> -Severity.rank(c.severity()))
            .thenComparing(DigestBuilder::createdAt))
        .map(c -> line(book, c, null))
        .toList();
    List<CaseLine> waiting = open.stream()
        .filter(c -> WAITING_ON_CUSTOMER.equals(c.status()))
        .sorted(Comparator.comparing(DigestBuilder::waitingSince))
        .map(c -> line(book, c,
            c.waitingOnCustomerSince() == null ? null : "waiting since " + Formats.dateTime(c.waitingOnCustomerSince(), zone)))
        .toList();

    return new Digest(group.name(), periodStart, periodEnd, zone, coverage(group, book), pivot(book, cases),
        opened, resolved, escalated, reopened, backfilled, oldest, urgent, waiting, cases.size(),
        CaseListCsv.csv(cases.stream().map(CaseSummary::toCaseState).toList()), List.copyOf(undelivered));
  }

  private List<Digest.CoverageLine> coverage(RecipientGroup group, CaseBook book) {
    List<Digest.CoverageLine> lines = new ArrayList<>();
    for (String accountId : book.accounts()) {
      String name = book.accountName(accountId);
      if (!group.follows(accountId, name)) {
        continue;
      }
      AccountCoverage.State state = book.coverage().state(accountId);
      lines.add(new Digest.CoverageLine(accountId, name, state.coverage().label(), state.coverage().readable(), state.reason()));
    }
    lines.sort(Comparator.comparing(Digest.CoverageLine::readable).thenComparing(Digest.CoverageLine::accountLabel));
    return lines;
  }

  private static List<Digest.PivotRow> pivot(CaseBook book, List<CaseSummary> cases) {
    Map<String, Map<String, Map<String, Long>>> counts = new TreeMap<>();
    for (CaseSummary d : cases) {
      String account = book.accountName(d.accountId()) == null
          ? d.accountId() : book.accountName(d.accountId()) + " (" + d.accountId() + ")";
      String severity = Severity.rank(d.severity()) >= 0 ? d.severity().toLowerCase(Locale.ROOT) : OTHER_SEVERITY;
      counts.computeIfAbsent(account, a -> new TreeMap<>())
          .computeIfAbsent(d.status() == null ? "unknown" : d.status(), s -> new LinkedHashMap<>())
          .merge(severity, 1L, Long::sum);
    }
    List<Digest.PivotRow> rows = new ArrayList<>();
    counts.forEach((account, byStatus) -> byStatus.forEach((status, bySeverity) -> {
      Map<String, Long> ordered = new LinkedHashMap<>();
      for (String severity : severityColumns()) {
        ordered.put(severity, bySeverity.getOrDefault(severity, 0L));
      }
      rows.add(new Digest.PivotRow(account, status, ordered, bySeverity.values().stream().mapToLong(Long::longValue).sum()));
    }));
    return rows;
  }

  static List<String> severityColumns() {
    List<String> columns = new ArrayList<>(Severity.ORDER);
    columns.add(OTHER_SEVERITY);
    return columns;
  }

  CaseLine line(CaseBook book, CaseSummary d, String note) {
    return CaseLine.of(d, book.accountName(d.accountId()), consoleCaseUrl, note);
  }

  static boolean isResolved(CaseSummary details) {
    return RESOLVED.equals(details.status());
  }

  private static Instant createdAt(CaseSummary state) {
    Instant at = state.timeCreatedAt();
    return at == null ? state.firstSeenAt() : at;
  }

  private static Instant waitingSince(CaseSummary state) {
    return state.waitingOnCustomerSince() == null ? state.lastChangedAt() : state.waitingOnCustomerSince();
  }
}
