package io.casefeed.notifier.digest;

import io.casefeed.notifier.render.RenderedMail;
import io.casefeed.notifier.render.CaseTable;
import io.casefeed.notifier.render.Html;
import io.casefeed.notifier.render.Formats;
import io.casefeed.notifier.render.CaseLine;
import java.util.ArrayList;
import java.util.List;

/** Renders a digest as a subject, a plain-text part, an HTML part (inline styles only) and the CSV. */
public final class DigestRenderer {

  public static final String ATTACHMENT_NAME = "case_list.csv";
  private static final String TABLE = CaseTable.TABLE;
  private static final String CELL = CaseTable.CELL;

  private DigestRenderer() {}

  public static RenderedMail render(Digest d) {
    return new RenderedMail(subject(d), text(d), html(d), ATTACHMENT_NAME, d.caseListCsv());
  }

  /** The key counts, so the inbox line alone says whether to open it. */
  public static String subject(Digest d) {
    List<String> parts = new ArrayList<>();
    parts.add(d.opened().size() + " opened");
    parts.add(d.resolved().size() + " resolved");
    if (!d.escalated().isEmpty()) {
      parts.add(d.escalated().size() + " escalated");
    }
    if (!d.reopened().isEmpty()) {
      parts.add(d.reopened().size() + " reopened");
    }
    parts.add(d.urgentOpen().size() + " urgent/critical open");
    parts.add(d.waitingOnCustomer().size() + " waiting on you");
    if (d.unreadableAccounts() > 0) {
      parts.add(d.unreadableAccounts() + " account" + (d.unreadableAccounts() == 1 ? "" : "s") + " unreadable");
    }
    if (!d.undelivered().isEmpty()) {
      parts.add(d.undelivered().size() + " not delivered");
    }
    return "[casefeed] " + d.group() + " digest " + Formats.date(d.periodEnd(), d.zone()) + ": " + String.join(", ", parts);
  }

  static String text(Digest d) {
    StringBuilder t = new StringBuilder();
    t.append("casefeed digest for ").append(d.group()).append('\n');
    t.append("Changes from ").append(Formats.dateTime(d.periodStart(), d.zone()))
        .append(" to ").append(Formats.dateTime(d.periodEnd(), d.zone())).append('\n');
    t.append(d.totalCases()).append(" cases in ").append(d.coverage().size()).append(" accounts; ")
        .append(ATTACHMENT_NAME).append(" attached.\n\n");

    t.append("COVERAGE\n");
    if (d.coverage().isEmpty()) {
      t.append("  no account read yet\n");
    }
    for (Digest.CoverageLine c : d.coverage()) {
      t.append("  ").append(c.readable() ? "  " : "! ").append(c.accountLabel()).append(": ").append(c.status())
          .append(c.reason() == null ? "" : " (" + c.reason() + ")").append('\n');
    }
    if (!d.undelivered().isEmpty()) {
      t.append("\nNOT DELIVERED SINCE THE LAST DIGEST (").append(d.undelivered().size()).append(")\n");
      for (Digest.Undelivered u : d.undelivered()) {
        t.append("  ! ").append(u.kind()).append(" to ").append(u.recipient()).append(", ").append(u.stage()).append(" at ")
            .append(Formats.dateTime(u.at(), d.zone())).append(": ").append(u.error() == null ? "" : u.error()).append('\n');
      }
    }
    textCases(t, "OPENED SINCE THE LAST DIGEST", d.opened());
    if (d.backfilled() > 0) {
      t.append("  (").append(existingCases(d.backfilled())).append(" read for the first time, not counted as new)\n");
    }
    textCases(t, "RESOLVED", d.resolved());
    textCases(t, "ESCALATED", d.escalated());
    textCases(t, "REOPENED", d.reopened());
    textCases(t, "OPEN URGENT OR CRITICAL", d.urgentOpen());
    textCases(t, "WAITING ON YOU (pending customer action)", d.waitingOnCustomer());
    textCases(t, "OLDEST OPEN CASES", d.oldestOpen());

    t.append("\nCASES BY ACCOUNT, STATUS AND SEVERITY\n");
    List<String> severities = DigestBuilder.severityColumns();
    t.append(String.format(java.util.Locale.ROOT, "  %-40s %-28s", "account", "status"));
    severities.forEach(s -> t.append(String.format(java.util.Locale.ROOT, " %8s", s)));
    t.append(String.format(java.util.Locale.ROOT, " %8s", "total")).append('\n');
    for (Digest.PivotRow row : d.pivot()) {
      t.append(String.format(java.util.Locale.ROOT, "  %-40s %-28s", row.accountLabel(), row.status()));
      severities.forEach(s -> t.append(String.format(java.util.Locale.ROOT, " %8d", row.countsBySeverity().get(s))));
      t.append(String.format(java.util.Locale.ROOT, " %8d", row.total())).append('\n');
    }
    return t.toString();
  }

  private static void textCases(StringBuilder t, String title, List<CaseLine> cases) {
    t.append('\n').append(title).append(" (").append(cases.size()).append(")\n");
    if (cases.isEmpty()) {
      t.append("  none\n");
    }
    for (CaseLine c : cases) {
      t.append("  - ").append(c.displayId() == null ? "?" : c.displayId()).append(" [").append(c.severity()).append(", ")
          .append(c.status()).append("] ").append(c.subject() == null ? "" : c.subject()).append('\n');
      t.append("    ").append(c.accountLabel()).append(", ").append(c.service() == null ? "" : c.service())
          .append(", created ").append(c.createdTime() == null ? "?" : c.createdTime())
          .append(c.note() == null ? "" : ", " + c.note()).append('\n');
      if (c.consoleLink() != null) {
        t.append("    ").append(c.consoleLink()).append('\n');
      }
    }
  }

  static String html(Digest d) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(Html.escape(subject(d)))
        .append("</title></head>\n<body style=\"font-family:Arial,Helvetica,sans-serif;color:#223;max-width:980px\">\n");
    h.append("<h2 style=\"margin-bottom:2px\">casefeed digest for ").append(Html.escape(d.group())).append("</h2>\n");
    h.append("<p style=\"margin-top:0;color:#556\">Changes from ").append(Html.escape(Formats.dateTime(d.periodStart(), d.zone())))
        .append(" to ").append(Html.escape(Formats.dateTime(d.periodEnd(), d.zone()))).append(". ")
        .append(d.totalCases()).append(" cases in ").append(d.coverage().size()).append(" accounts; <code>")
        .append(ATTACHMENT_NAME).append("</code> attached.</p>\n");

    h.append("<h3>Coverage</h3>\n<table style=\"").append(TABLE).append("\"><tr>")
        .append(th("account")).append(th("status")).append(th("reason")).append("</tr>\n");
    for (Digest.CoverageLine c : d.coverage()) {
      String color = c.readable() ? "" : ";color:#a00;font-weight:bold";
      h.append("<tr><td style=\"").append(CELL).append("\">").append(Html.escape(c.accountLabel())).append("</td>")
          .append("<td style=\"").append(CELL).append(color).append("\">").append(Html.escape(c.status())).append("</td>")
          .append(td(c.reason())).append("</tr>\n");
    }
    h.append("</table>\n");

    if (!d.undelivered().isEmpty()) {
      h.append("<h3 style=\"color:#a00\">Not delivered since the last digest</h3>\n<table style=\"").append(TABLE).append("\"><tr>")
          .append(th("what")).append(th("to")).append(th("outcome")).append(th("when")).append(th("why")).append("</tr>\n");
      for (Digest.Undelivered u : d.undelivered()) {
        h.append("<tr>").append(td(u.kind())).append(td(u.recipient())).append(td(u.stage()))
            .append(td(Formats.dateTime(u.at(), d.zone()))).append(td(u.error())).append("</tr>\n");
      }
      h.append("</table>\n");
    }
    CaseTable.html(h, "Opened since the last digest", d.opened());
    if (d.backfilled() > 0) {
      h.append("<p style=\"color:#556\">").append(existingCases(d.backfilled()))
          .append(" read for the first time: history, not counted as new.</p>\n");
    }
    CaseTable.html(h, "Resolved", d.resolved());
    CaseTable.html(h, "Escalated", d.escalated());
    CaseTable.html(h, "Reopened", d.reopened());
    CaseTable.html(h, "Open urgent or critical", d.urgentOpen());
    CaseTable.html(h, "Waiting on you (pending customer action)", d.waitingOnCustomer());
    CaseTable.html(h, "Oldest open cases", d.oldestOpen());

    h.append("<h3>Cases by account, status and severity</h3>\n<table style=\"").append(TABLE).append("\"><tr>")
        .append(th("account")).append(th("status"));
    DigestBuilder.severityColumns().forEach(s -> h.append(th(s)));
    h.append(th("total")).append("</tr>\n");
    for (Digest.PivotRow row : d.pivot()) {
      h.append("<tr>").append(td(row.accountLabel())).append(td(row.status()));
      DigestBuilder.severityColumns().forEach(s -> h.append(td(Long.toString(row.countsBySeverity().get(s)))));
      h.append(td(Long.toString(row.total()))).append("</tr>\n");
    }
    h.append("</table>\n</body></html>\n");
    return h.toString();
  }

  private static String existingCases(int n) {
    return n == 1 ? "1 existing case" : n + " existing cases";
  }

  private static String th(String text) {
    return CaseTable.th(text);
  }

  private static String td(String text) {
    return CaseTable.td(text);
  }
}
