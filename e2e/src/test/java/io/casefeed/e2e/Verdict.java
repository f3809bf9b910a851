package io.casefeed.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the invariant checks found: per check, how much was checked, lost and duplicated, and why. */
final class Verdict {

  /** One line of the result table. */
  static final class Row {
    long checked;
    long lost;
    long duplicated;
    long wrong;
    long resentAfterKill;
  }

  private static final int MAX_EXAMPLES = 40;

  private final Map<String, Row> rows = new LinkedHashMap<>();
  private final List<String> violations = new ArrayList<>();
  private long violationCount;
  private final List<String> resends = new ArrayList<>();

  Row row(String check) {
    return rows.computeIfAbsent(check, name -> new Row());
  }

  void checked(String check, long count) {
    row(check).checked += count;
  }

  void lost(String check, String why) {
    row(check).lost++;
    violation(check, "lost", why);
  }

  void duplicated(String check, String why) {
    row(check).duplicated++;
    violation(check, "duplicated", why);
  }

  void wrong(String check, String why) {
    row(check).wrong++;
    violation(check, "wrong", why);
  }

  /**
   * A mail SES accepted from an incarnation SIGKILLed before it could record the mail as sent, sent
   * again by the next one. SES takes no idempotency key, so at-least-once is the only safe choice in
   * that window; the checker counts it apart only when the evidence shows exactly that.
   */
  void resentAfterKill(String check, String why) {
    row(check).resentAfterKill++;
    resends.add(check + ": " + why);
  }

  private void violation(String check, String what, String why) {
    violationCount++;
    if (violations.size() < MAX_EXAMPLES) {
      violations.add(check + " " + what + ": " + why);
    }
  }

  long violationCount() {
    return violationCount;
  }

  List<String> violations() {
    return violations;
  }

  String table() {
    StringBuilder table = new StringBuilder();
    table.append(String.format(Locale.ROOT, "%-34s %9s %6s %11s %6s %17s%n",
        "invariant", "checked", "lost", "duplicated", "wrong", "resent after kill"));
    rows.forEach((check, row) -> table.append(String.format(Locale.ROOT, "%-34s %9d %6d %11d %6d %17d%n",
        check, row.checked, row.lost, row.duplicated, row.wrong, row.resentAfterKill)));
    if (!resends.isEmpty()) {
      table.append("resent after a SIGKILL between sending a mail or post and the ledger recording it (not violations):\n");
      resends.forEach(r -> table.append("  ").append(r).append('\n'));
    }
    if (violationCount > 0) {
      table.append(violationCount).append(" violation(s)");
      if (violationCount > violations.size()) {
        table.append(", the first ").append(violations.size());
      }
      table.append(":\n");
      violations.forEach(v -> table.append("  ").append(v).append('\n'));
    }
    return table.toString();
  }
}
