package io.casefeed.notifier.render;

import java.util.List;

/** The HTML table of cases that digests and alerts share, so both look alike (inline styles only). */
public final class CaseTable {

  public static final String TABLE = "border-collapse:collapse;font-size:13px;margin:4px 0 16px 0";
  public static final String CELL = "border:1px solid #ccd;padding:3px 8px;text-align:left;vertical-align:top";
  static final String HEAD = CELL + ";background:#eef";

  private CaseTable() {}

  /** A titled table of cases. */
  public static void html(StringBuilder h, String title, List<CaseLine> cases) {
    h.append("<h3>").append(Html.escape(title)).append(" (").append(cases.size()).append(")</h3>\n");
    if (cases.isEmpty()) {
      h.append("<p style=\"color:#556\">none</p>\n");
      return;
    }
    h.append("<table style=\"").append(TABLE).append("\"><tr>").append(th("case")).append(th("severity")).append(th("status"))
        .append(th("subject")).append(th("account")).append(th("service")).append(th("created")).append(th("note")).append("</tr>\n");
    for (CaseLine c : cases) {
      String id = Html.escape(c.displayId() == null ? "?" : c.displayId());
      String link = c.consoleLink() == null ? id : "<a href=\"" + Html.escape(c.consoleLink()) + "\">" + id + "</a>";
      h.append("<tr><td style=\"").append(CELL).append("\">").append(link).append("</td>")
          .append(td(c.severity())).append(td(c.status())).append(td(c.subject())).append(td(c.accountLabel()))
          .append(td(c.service())).append(td(c.createdTime())).append(td(c.note())).append("</tr>\n");
    }
    h.append("</table>\n");
  }

  public static String th(String text) {
    return "<th style=\"" + HEAD + "\">" + Html.escape(text) + "</th>";
  }

  public static String td(String text) {
    return "<td style=\"" + CELL + "\">" + Html.escape(text) + "</td>";
  }
}
