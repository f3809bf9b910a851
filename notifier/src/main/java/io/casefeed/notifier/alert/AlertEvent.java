package io.casefeed.notifier.alert;

import io.casefeed.notifier.view.CaseSummary;
import java.time.Instant;

/**
 * One thing worth an alert. {@code at} places it in a batching window, so a replay places it in the
 * same window; {@code id} keeps it once per window.
 *
 * @param details the case, null for an account alert
 */
public record AlertEvent(String id, Kind kind, String accountId, Instant at, CaseSummary details, String description) {

  /** Why an alert is sent. */
  public enum Kind {
    NEW_CASE("new case", "new cases"),
    ESCALATION("escalated", "escalated"),
    WAITING_ON_CUSTOMER("waiting on you", "waiting on you"),
    ACCOUNT_UNREADABLE("account unreadable", "accounts unreadable");

    private final String singular;
    private final String plural;

    Kind(String singular, String plural) {
      this.singular = singular;
      this.plural = plural;
    }

    /** "new case" for one, "new cases" for more. */
    public String label(int n) {
      return n == 1 ? singular : plural;
    }

    /** "1 new case", "3 new cases". */
    public String count(int n) {
      return n + " " + label(n);
    }
  }
}
