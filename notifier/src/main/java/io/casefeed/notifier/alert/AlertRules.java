package io.casefeed.notifier.alert;

import io.casefeed.notifier.view.Severity;
import io.casefeed.notifier.view.AccountCoverage;
import io.casefeed.notifier.view.CaseSummary;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schemas.CaseKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Which changes and states deserve an alert. Backfilled history never does. */
public final class AlertRules {

  static final String WAITING_ON_CUSTOMER = "pending-customer-action";

  private final String severityThreshold;
  private final Duration waitingThreshold;

  public AlertRules(String severityThreshold, Duration waitingThreshold) {
    this.severityThreshold = severityThreshold;
    this.waitingThreshold = waitingThreshold;
  }

  /** A new case or an escalation at or above the threshold severity. */
  public Optional<AlertEvent> fromChange(CaseChange change) {
    if (change.getBackfill()) {
      return Optional.empty();
    }
    CaseDetails current = change.getCurrent();
    String severity = current.getSeverityCode();
    if (!Severity.atLeast(severity, severityThreshold)) {
      return Optional.empty();
    }
    switch (change.getChangeType()) {
      case "CASE_OPENED":
        return Optional.of(new AlertEvent(change.getEventId(), AlertEvent.Kind.NEW_CASE, change.getAccountId(),
            change.getObservedAt(), CaseSummary.of(current), "opened as " + severity));
      case "SEVERITY_CHANGED":
        String before = change.getPrevious() == null ? null : change.getPrevious().getSeverityCode();
        if (Severity.rank(severity) > Severity.rank(before)) {
          return Optional.of(new AlertEvent(change.getEventId(), AlertEvent.Kind.ESCALATION, change.getAccountId(),
              change.getObservedAt(), CaseSummary.of(current), (before == null ? "?" : before) + " → " + severity));
        }
        return Optional.empty();
      default:
        return Optional.empty();
    }
  }

  /**
   * A case still waiting on the customer past the threshold: the alert belongs to the moment the
   * threshold was crossed, once per wait (a new wait has a new start).
   */
  public Optional<AlertEvent> waitingTooLong(CaseSummary state, Instant now) {
    Instant since = state.waitingOnCustomerSince();
    if (since == null || !WAITING_ON_CUSTOMER.equals(state.status())) {
      return Optional.empty();
    }
    Instant crossed = since.plus(waitingThreshold);
    if (crossed.isAfter(now)) {
      return Optional.empty();
    }
    String id = "waiting|" + CaseKeys.of(state.accountId(), state.caseId()) + "|" + since;
    return Optional.of(new AlertEvent(id, AlertEvent.Kind.WAITING_ON_CUSTOMER, state.accountId(), crossed, state,
        "waiting on you since " + since));
  }

  public AlertEvent unreadable(AccountCoverage.BecameUnreadable transition) {
    return new AlertEvent("unreadable|" + transition.accountId() + "|" + transition.at(), AlertEvent.Kind.ACCOUNT_UNREADABLE,
        transition.accountId(), transition.at(), null, transition.coverage().label()
            + (transition.reason() == null ? "" : ": " + transition.reason()));
  }
}
