package io.casefeed.sink.views;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pivot views over the latest case list, in SQL that Athena (Trino) and DuckDB both run, so
 * {@code casefeed query} answers exactly what Athena would. An empty field counts as 'unknown', as
 * the stream-processor's pivot counts it.
 */
public final class PivotViews {

  private PivotViews() {}

  /** View name to its SELECT, over a table named {@code case_list_parquet} in the same schema. */
  public static Map<String, String> selects(String schemaQualifier) {
    String source = schemaQualifier + "case_list_parquet";
    Map<String, String> views = new LinkedHashMap<>();
    views.put("case_counts", "SELECT " + dimension("account_id") + " AS account_id, " + dimension("status") + " AS status, "
        + dimension("severity") + " AS severity, " + dimension("service") + " AS service, " + dimension("language") + " AS language, "
        + "count(*) AS cases FROM " + source + " GROUP BY 1, 2, 3, 4, 5");
    views.put("case_counts_by_account_status", "SELECT " + dimension("account_id") + " AS account_id, " + dimension("status")
        + " AS status, count(*) AS cases FROM " + source + " GROUP BY 1, 2");
    views.put("case_counts_by_severity", "SELECT " + dimension("severity") + " AS severity, count(*) AS cases FROM " + source
        + " GROUP BY 1");
    views.put("case_counts_by_service", "SELECT " + dimension("service") + " AS service, count(*) AS cases FROM " + source
        + " GROUP BY 1");
    views.put("changes_by_day", "SELECT dt, change_type, count(*) AS changes FROM " + schemaQualifier + "case_changes"
        + " GROUP BY 1, 2");
    // The open count changes only on a day a case opens or resolves, so those days are enough for a
    // line chart, and no calendar generator is needed (Trino's sequence and DuckDB's range differ).
    views.put("open_cases_by_day", "SELECT d.day, count(c.case_id) AS open_cases FROM (SELECT CAST(created_at AS date) AS day FROM "
        + source + " WHERE created_at IS NOT NULL UNION SELECT CAST(resolved_at AS date) AS day FROM " + source
        + " WHERE resolved_at IS NOT NULL) d LEFT JOIN " + source + " c ON CAST(c.created_at AS date) <= d.day"
        + " AND (c.resolved_at IS NULL OR CAST(c.resolved_at AS date) > d.day) GROUP BY d.day");
    return views;
  }

  private static String dimension(String column) {
    return "coalesce(nullif(trim(" + column + "), ''), 'unknown')";
  }
}
