package io.casefeed.notifier.channel;

import io.casefeed.notifier.alert.AlertEvent;
import io.casefeed.notifier.render.CaseLine;
import java.util.Locale;
import java.util.function.Function;

/**
 * One alert event as every channel shows it: the case line of a mail (subject already as the
 * privacy policy allows, since the notifier applies it when reading), or the account for an
 * unreadable-account alert.
 *
 * @param line the case, null for an account alert
 */
record AlertItem(AlertEvent event, String accountName, CaseLine line) {

  static AlertItem of(AlertEvent event, Function<String, String> accountNames, String consoleCaseUrl) {
    String name = accountNames.apply(event.accountId());
    CaseLine line = event.details() == null ? null
        : CaseLine.of(event.details(), name, consoleCaseUrl, event.description());
    return new AlertItem(event, name, line);
  }

  /** "opened", "escalated", "waiting-on-customer", "account-unreadable". */
  String change() {
    return changeName(event.kind());
  }

  static String changeName(AlertEvent.Kind kind) {
    return switch (kind) {
      case NEW_CASE -> "opened";
      case ESCALATION -> "escalated";
      case WAITING_ON_CUSTOMER -> "waiting-on-customer";
      case ACCOUNT_UNREADABLE -> "account-unreadable";
    };
  }

  String accountLabel() {
    return accountName == null ? event.accountId() : accountName + " (" + event.accountId() + ")";
  }

  /** "Case 123 [urgent, opened]", or the account for an account alert. */
  String title() {
    if (line == null) {
      return "Account " + accountLabel() + " unreadable";
    }
    return "Case " + (line.displayId() == null ? "?" : line.displayId()) + " [" + line.severity() + ", " + line.status() + "]";
  }

  /** The label of the alert's kind, capitalised: "New case", "Escalated". */
  String kindLabel() {
    String label = event.kind().label(1);
    return label.substring(0, 1).toUpperCase(Locale.ROOT) + label.substring(1);
  }
}
