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

  /**
   * View name to its SELECT, over tables named {@code case_list_parquet}, {@code case_changes} and
   * {@code accounts} in the same schema. The account views name each account: {@code account_name}
   * from the accounts table (null when unknown) and {@code account}, "name (id)" or the id alone, the
   * pivot's row label; a case whose account is not in the table still counts (a LEFT JOIN).
   */
  public static Map<String, String> selects(String schemaQualifier) {
    String source = schemaQualifier + "case_list_parquet";
    String withAccounts = source + " c LEFT JOIN " + schemaQualifier + "accounts a ON a.account_id = c.account_id";
    String accountName = "nullif(trim(a.account_name), '')";
    String accountColumns = dimension("c.account_id") + " AS account_id, " + accountName + " AS account_name, "
        + "CASE WHEN " + accountName + " IS NULL THEN " + dimension("c.account_id") + " ELSE " + accountName + " || ' (' || "
        + dimension("c.account_id") + " || ')' END AS account, ";
    Map<String, String> views = new LinkedHashMap<>();
    views.put("case_counts", "SELECT " + accountColumns + dimension("c.status") + " AS status, "
        + dimension("c.severity") + " AS severity, " + dimension("c.service") + " AS service, " + dimension("c.language")
        + " AS language, count(*) AS cases FROM " + withAccounts + " GROUP BY 1, 2, 3, 4, 5, 6, 7");
    views.put("case_counts_by_account_status", "SELECT " + accountColumns + dimension("c.status")
        + " AS status, count(*) AS cases FROM " + withAccounts + " GROUP BY 1, 2, 3, 4");
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
