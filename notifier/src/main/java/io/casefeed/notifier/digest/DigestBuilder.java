package io.casefeed.notifier.digest;

import io.casefeed.notifier.alert.Severity;
import io.casefeed.notifier.routing.RecipientGroup;
import io.casefeed.notifier.view.AccountCoverage;
import io.casefeed.notifier.view.CaseBook;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseState;
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
    List<CaseState> cases = book.cases().stream()
        .filter(c -> group.follows(c.getAccountId(), book.accountName(c.getAccountId())))
        .toList();
    List<CaseState> open = cases.stream().filter(c -> !isResolved(c.getCaseDetails())).toList();

    List<CaseLine> opened = new ArrayList<>();
    List<CaseLine> resolved = new ArrayList<>();
    List<CaseLine> escalated = new ArrayList<>();
    List<CaseLine> reopened = new ArrayList<>();
    int backfilled = 0;
    for (CaseChange change : book.changesBetween(periodStart, periodEnd)) {
      if (!group.follows(change.getAccountId(), book.accountName(change.getAccountId()))) {
        continue;
      }
      CaseDetails details = change.getCurrent();
      switch (change.getChangeType()) {
        case "CASE_OPENED" -> {
          if (change.getBackfill()) {
            backfilled++;
          } else {
            opened.add(line(book, details, null));
          }
        }
        case "CASE_RESOLVED" -> resolved.add(line(book, details, null));
        case "CASE_REOPENED" -> reopened.add(line(book, details, null));
        case "SEVERITY_CHANGED" -> {
          String before = change.getPrevious() == null ? null : str(change.getPrevious().getSeverityCode());
          if (Severity.rank(str(details.getSeverityCode())) > Severity.rank(before)) {
            escalated.add(line(book, details, (before == null ? "?" : before) + " → " + str(details.getSeverityCode())));
          }
        }
        default -> { }
      }
    }

    List<CaseLine> oldest = open.stream()
        .sorted(Comparator.comparing(DigestBuilder::createdAt).thenComparing(c -> c.getCaseDetails().getCaseId().toString()))
        .limit(oldestCases)
        .map(c -> line(book, c.getCaseDetails(), null))
        .toList();
    List<CaseLine> urgent = open.stream()
        .filter(c -> Severity.rank(str(c.getCaseDetails().getSeverityCode())) >= Severity.rank("urgent"))
        .sorted(Comparator.comparing((CaseState c) -> -Severity.rank(str(c.getCaseDetails().getSeverityCode())))
            .thenComparing(DigestBuilder::createdAt))
        .map(c -> line(book, c.getCaseDetails(), null))
        .toList();
    List<CaseLine> waiting = open.stream()
        .filter(c -> WAITING_ON_CUSTOMER.equals(str(c.getCaseDetails().getStatus())))
        .sorted(Comparator.comparing(DigestBuilder::waitingSince))
        .map(c -> line(book, c.getCaseDetails(),
            c.getWaitingOnCustomerSince() == null ? null : "waiting since " + Formats.dateTime(c.getWaitingOnCustomerSince(), zone)))
        .toList();

    return new Digest(group.name(), periodStart, periodEnd, zone, coverage(group, book), pivot(book, cases),
        opened, resolved, escalated, reopened, backfilled, oldest, urgent, waiting, cases.size(),
        CaseListCsv.csv(cases));
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

  private static List<Digest.PivotRow> pivot(CaseBook book, List<CaseState> cases) {
    Map<String, Map<String, Map<String, Long>>> counts = new TreeMap<>();
    for (CaseState state : cases) {
      CaseDetails d = state.getCaseDetails();
      String account = book.accountName(state.getAccountId()) == null
          ? state.getAccountId() : book.accountName(state.getAccountId()) + " (" + state.getAccountId() + ")";
      String severity = Severity.rank(str(d.getSeverityCode())) >= 0 ? str(d.getSeverityCode()).toLowerCase(Locale.ROOT) : OTHER_SEVERITY;
      counts.computeIfAbsent(account, a -> new TreeMap<>())
          .computeIfAbsent(d.getStatus() == null ? "unknown" : str(d.getStatus()), s -> new LinkedHashMap<>())
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

  CaseLine line(CaseBook book, CaseDetails d, String note) {
    return caseLine(d, book.accountName(d.getAccountId()), consoleCaseUrl, note);
  }

  /** A case as one line, with its console link built from the display id. */
  public static CaseLine caseLine(CaseDetails d, String accountName, String consoleCaseUrl, String note) {
    String displayId = str(d.getDisplayId());
    String link = displayId == null ? null
        : consoleCaseUrl.replace("{displayId}", java.net.URLEncoder.encode(displayId, java.nio.charset.StandardCharsets.UTF_8));
    return new CaseLine(str(d.getAccountId()), accountName, displayId, str(d.getSubject()), str(d.getStatus()),
        str(d.getSeverityCode()), str(d.getServiceCode()), str(d.getTimeCreated()), link, note);
  }

  static boolean isResolved(CaseDetails details) {
    return RESOLVED.equals(str(details.getStatus()));
  }

  private static Instant createdAt(CaseState state) {
    Instant at = state.getCaseDetails().getTimeCreatedAt();
    return at == null ? state.getFirstSeenAt() : at;
  }

  private static Instant waitingSince(CaseState state) {
    return state.getWaitingOnCustomerSince() == null ? state.getLastChangedAt() : state.getWaitingOnCustomerSince();
  }

  static String str(CharSequence value) {
    return value == null ? null : value.toString();
  }
}
