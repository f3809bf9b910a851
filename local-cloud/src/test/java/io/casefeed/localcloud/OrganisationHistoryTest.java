package io.casefeed.localcloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The generated history looks like a real organisation's: AWS answers within its published targets, cases close in days. */
class OrganisationHistoryTest {

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private final OrganisationState organisation = new OrganisationGenerator(Scenario.of(300, 7L), NOW).generate();
  private final Map<String, ResponseTargets.Plan> plans = new TreeMap<>();

  OrganisationHistoryTest() {
    organisation.accounts().forEach(a -> plans.put(a.id(), ResponseTargets.planOf(a.id())));
  }

  @Test
  void mostFirstAnswersArriveWithinTheSeveritysTargetOnTheAccountsPlan() {
    Map<String, List<Duration>> firstAnswers = new TreeMap<>();
    int withinTarget = 0;
    int answered = 0;
    for (Map.Entry<String, List<SimulatedCase>> account : organisation.cases().entrySet()) {
      ResponseTargets.Plan plan = plans.get(account.getKey());
      for (SimulatedCase c : account.getValue()) {
        Duration first = firstAwsAnswer(c);
        if (first == null) {
          continue;
        }
        answered++;
        firstAnswers.computeIfAbsent(c.severityCode(), s -> new ArrayList<>()).add(first);
        if (first.compareTo(ResponseTargets.target(c.severityCode(), plan)) <= 0) {
          withinTarget++;
        }
      }
    }
    assertThat(answered).isGreaterThan(1_000);
    assertThat((double) withinTarget / answered).as("share answered within target").isBetween(0.9, 0.99);
    assertThat(median(firstAnswers.get("critical"))).isLessThan(Duration.ofHours(1));
    assertThat(median(firstAnswers.get("urgent"))).isLessThan(Duration.ofHours(1));
    assertThat(median(firstAnswers.get("low"))).isBetween(Duration.ofHours(6), Duration.ofHours(24));
  }

  @Test
  void businessAccountsHaveNoCriticalCases() {
    organisation.cases().forEach((account, cases) -> {
      if (plans.get(account) == ResponseTargets.Plan.BUSINESS) {
        assertThat(cases).extracting(SimulatedCase::severityCode).doesNotContain("critical");
      }
    });
    assertThat(plans.values()).contains(ResponseTargets.Plan.BUSINESS, ResponseTargets.Plan.ENTERPRISE_ON_RAMP, ResponseTargets.Plan.ENTERPRISE);
  }

  @Test
  void casesCloseInDaysSoOpenCasesAreFewAndMostlyYoung() {
    List<Duration> toResolve = new ArrayList<>();
    List<Duration> openAges = new ArrayList<>();
    int all = 0;
    for (List<SimulatedCase> cases : organisation.cases().values()) {
      for (SimulatedCase c : cases) {
        all++;
        Instant created = Instant.parse(c.timeCreated());
        if (c.resolved()) {
          // The newest communication marks the resolution (what the stream-processor reads as resolvedAt).
          toResolve.add(Duration.between(created, Instant.parse(c.communications().get(0).timeCreated())));
        } else {
          openAges.add(Duration.between(created, NOW));
        }
      }
    }
    assertThat(median(toResolve)).isBetween(Duration.ofHours(12), Duration.ofDays(7));
    assertThat((double) openAges.size() / all).as("share open").isBetween(0.02, 0.3);
    assertThat(median(openAges)).isLessThan(Duration.ofDays(30));
  }

  private static Duration firstAwsAnswer(SimulatedCase c) {
    List<SimulatedCommunication> oldestFirst = new ArrayList<>(c.communications());
    Collections.reverse(oldestFirst);
    return oldestFirst.stream().filter(m -> SimulatedCase.AWS_SUBMITTER.equals(m.submittedBy())).findFirst()
        .map(m -> Duration.between(Instant.parse(c.timeCreated()), Instant.parse(m.timeCreated()))).orElse(null);
  }

  private static Duration median(List<Duration> durations) {
    List<Duration> sorted = new ArrayList<>(durations);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
