package io.casefeed.notifier.view;

import io.casefeed.schema.SweepRecord;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Each account's readability from its sweep records. An account becomes unreadable at once on access
 * denied or no support plan, and after {@code failingPolls} failed polls in a row otherwise.
 */
public final class AccountCoverage {

  /** The moment an account became unreadable. */
  public record BecameUnreadable(String accountId, Coverage coverage, String reason, Instant at) {}

  /** One account's latest readability. */
  public record State(Coverage coverage, String reason, Instant lastPollAt, int consecutiveFailures) {}

  private final int failingPolls;
  private final Map<String, State> states = new HashMap<>();

  public AccountCoverage(int failingPolls) {
    this.failingPolls = failingPolls;
  }

  /** Records one poll outcome; returns the transition to unreadable it causes, if any. */
  public Optional<BecameUnreadable> onSweep(SweepRecord sweep) {
    State before = states.get(sweep.getAccountId());
    boolean wasReadable = before == null || before.coverage().readable();
    String outcome = sweep.getOutcome() == null ? "error" : sweep.getOutcome().toLowerCase(Locale.ROOT);
    int failures = before == null ? 0 : before.consecutiveFailures();
    Coverage coverage;
    switch (outcome) {
      case "ok" -> {
        coverage = Coverage.OK;
        failures = 0;
      }
      case "no-support-plan" -> {
        coverage = Coverage.NO_SUPPORT_PLAN;
        failures = 0;
      }
      case "access-denied" -> {
        coverage = Coverage.ACCESS_DENIED;
        failures = 0;
      }
      default -> {
        failures++;
        coverage = failures >= failingPolls ? Coverage.FAILING : Coverage.RETRYING;
      }
    }
    Instant at = sweep.getFinishedAt();
    String reason = sweep.getReason() == null ? outcome : sweep.getReason();
    states.put(sweep.getAccountId(), new State(coverage, coverage == Coverage.OK ? null : reason, at, failures));
    if (wasReadable && !coverage.readable()) {
      return Optional.of(new BecameUnreadable(sweep.getAccountId(), coverage, reason, at));
    }
    return Optional.empty();
  }

  public State state(String accountId) {
    return states.getOrDefault(accountId, new State(Coverage.NOT_READ_YET, null, null, 0));
  }

  public java.util.Set<String> accounts() {
    return states.keySet();
  }
}
