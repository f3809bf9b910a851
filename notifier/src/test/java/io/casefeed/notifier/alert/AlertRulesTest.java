package io.casefeed.notifier.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.notifier.testing.Cases;
import io.casefeed.notifier.view.AccountCoverage;
import io.casefeed.notifier.view.Coverage;
import io.casefeed.schema.CaseDetails;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertRulesTest {

  private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");
  private final AlertRules rules = new AlertRules("high", Duration.ofDays(3));

  @Test
  void newCasesAtOrAboveTheThresholdAlertButBackfillNever() {
    CaseDetails urgent = Cases.details("111111111111", "1", "down", "opened", "urgent", T);
    CaseDetails low = Cases.details("111111111111", "2", "question", "opened", "low", T);
    assertThat(rules.fromChange(Cases.change("CASE_OPENED", null, urgent, T, false)))
        .hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo(AlertEvent.Kind.NEW_CASE));
    assertThat(rules.fromChange(Cases.change("CASE_OPENED", null, low, T, false))).isEmpty();
    assertThat(rules.fromChange(Cases.change("CASE_OPENED", null, urgent, T, true))).isEmpty();
  }

  @Test
  void onlyARiseToTheThresholdIsAnEscalation() {
    CaseDetails normal = Cases.details("111111111111", "1", "slow", "opened", "normal", T);
    CaseDetails high = Cases.withSeverity(normal, "high");
    CaseDetails critical = Cases.withSeverity(normal, "critical");
    assertThat(rules.fromChange(Cases.change("SEVERITY_CHANGED", normal, high, T, false)))
        .hasValueSatisfying(e -> assertThat(e.description()).isEqualTo("normal → high"));
    assertThat(rules.fromChange(Cases.change("SEVERITY_CHANGED", critical, high, T, false))).isEmpty();
    assertThat(rules.fromChange(Cases.change("STATUS_CHANGED", normal, critical, T, false))).isEmpty();
  }

  @Test
  void aCaseWaitingOnTheCustomerTooLongAlertsAtTheMomentItCrossedOncePerWait() {
    CaseDetails waiting = Cases.details("111111111111", "1", "need logs", "pending-customer-action", "normal", T);
    Instant since = T.minus(Duration.ofDays(4));
    var state = Cases.summary(Cases.state(waiting, since, false, since));
    assertThat(rules.waitingTooLong(state, T)).hasValueSatisfying(e -> {
      assertThat(e.at()).isEqualTo(since.plus(Duration.ofDays(3)));
      assertThat(e.id()).isEqualTo(rules.waitingTooLong(state, T.plusSeconds(3600)).orElseThrow().id());
    });
    assertThat(rules.waitingTooLong(Cases.summary(Cases.state(waiting, since, false, T.minusSeconds(60))), T)).isEmpty();
  }

  @Test
  void anAccountBecomesUnreadableOnDenialAtOnceAndAfterNFailedPollsOtherwise() {
    AccountCoverage coverage = new AccountCoverage(3);
    assertThat(coverage.onSweep(Cases.sweep("111111111111", "ok", null, T))).isEmpty();
    assertThat(coverage.onSweep(Cases.sweep("111111111111", "error", "HTTP 500", T.plusSeconds(60)))).isEmpty();
    assertThat(coverage.onSweep(Cases.sweep("111111111111", "throttled", "Throttling", T.plusSeconds(120)))).isEmpty();
    assertThat(coverage.state("111111111111").coverage()).isEqualTo(Coverage.RETRYING);
    var failing = coverage.onSweep(Cases.sweep("111111111111", "error", "HTTP 500", T.plusSeconds(180)));
    assertThat(failing).hasValueSatisfying(t -> assertThat(t.coverage()).isEqualTo(Coverage.FAILING));
    assertThat(coverage.onSweep(Cases.sweep("111111111111", "error", "HTTP 500", T.plusSeconds(240)))).isEmpty();
    assertThat(rules.unreadable(failing.orElseThrow()).description()).isEqualTo("failing: HTTP 500");

    List<String> outcomes = List.of("access-denied", "no-support-plan");
    for (String outcome : outcomes) {
      AccountCoverage fresh = new AccountCoverage(3);
      assertThat(fresh.onSweep(Cases.sweep("222222222222", outcome, null, T))).isPresent();
    }
  }
}
