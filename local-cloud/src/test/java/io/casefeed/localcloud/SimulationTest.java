package io.casefeed.localcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulationTest {

  static final Clock FIXED = Clock.fixed(Instant.parse("2026-03-05T07:15:42.123Z"), ZoneOffset.UTC);

  @TempDir
  Path first;
  @TempDir
  Path second;

  @Test
  void theSameSeedGivesTheSameOrganisationAndTheSameLife() {
    try (Simulation a = new Simulation(Scenario.of(20, 9L), first, FIXED, new Faults());
         Simulation b = new Simulation(Scenario.of(20, 9L), second, FIXED, new Faults())) {
      assertThat(a.accounts()).isEqualTo(b.accounts());
      assertThat(a.allCases()).isEqualTo(b.allCases());
      for (int i = 0; i < 200; i++) {
        a.applyLifecycleEvent();
        b.applyLifecycleEvent();
      }
      assertThat(a.allCases()).isEqualTo(b.allCases());
    }
    try (Simulation other = new Simulation(Scenario.of(20, 10L), first.resolve("other"), FIXED, new Faults())) {
      assertThat(other.managementAccountId()).isNotEqualTo(new Simulation(Scenario.of(20, 9L), second, FIXED, new Faults()).managementAccountId());
    }
  }

  @Test
  void traitsAreSpreadByIndexAndCasesSpanTwentyFourMonths() {
    try (Simulation simulation = new Simulation(Scenario.of(50, 42L), first, Clock.systemUTC(), new Faults())) {
      List<SimulatedAccount> accounts = simulation.accounts();
      assertThat(accounts).hasSize(50).extracting(SimulatedAccount::id).doesNotHaveDuplicates()
          .allSatisfy(id -> assertThat(id).matches("\\d{12}"));
      assertThat(accounts.get(0).id()).isEqualTo(simulation.managementAccountId());
      assertThat(accounts.get(1).supportPlan()).isFalse();
      assertThat(accounts.get(2).hasRole()).isFalse();
      assertThat(accounts.get(3).hot()).isTrue();
      assertThat(accounts.get(9).status()).isEqualTo("SUSPENDED");
      assertThat(accounts.stream().filter(a -> !a.supportPlan()).count()).isEqualTo(5);
      assertThat(simulation.cases(accounts.get(1).id())).isEmpty();

      Map<String, Long> hotByLanguage = simulation.cases(accounts.get(3).id()).stream()
          .collect(Collectors.groupingBy(SimulatedCase::language, Collectors.counting()));
      assertThat(hotByLanguage.get("en")).isGreaterThan(300);
      assertThat(hotByLanguage.get("ja")).isGreaterThan(300);

      List<SimulatedCase> all = simulation.allCases().values().stream().flatMap(List::stream).toList();
      Instant now = Instant.now();
      assertThat(all).allSatisfy(c -> {
        Instant created = Instant.parse(c.timeCreated());
        assertThat(created).isBefore(now).isAfter(now.minus(Duration.ofDays(731)));
        assertThat(c.communications()).isNotEmpty();
        assertThat(c.communications().get(c.communications().size() - 1).timeCreated()).isEqualTo(c.timeCreated());
      });
      assertThat(all.stream().map(c -> c.timeCreated().substring(0, 7)).distinct().count()).isGreaterThan(20);
      assertThat(all.stream().map(SimulatedCase::language).distinct()).contains("en", "ja", "zh", "ko");
      assertThat(all).anyMatch(c -> c.communications().stream().anyMatch(m -> m.submittedBy().equals("Amazon Web Services")));
    }
  }

  @Test
  void aRestartOnTheSameDataDirContinuesTheSameOrganisation() {
    Map<String, List<SimulatedCase>> before;
    try (Simulation simulation = new Simulation(Scenario.of(8, 5L), first, FIXED, new Faults())) {
      for (int i = 0; i < 30; i++) {
        simulation.applyLifecycleEvent();
      }
      SimulatedCase created = simulation.createCase(simulation.managementAccountId(), "kept", "aws-lambda", "urgent", "ko");
      simulation.setSeverity(created.caseId(), "critical");
      before = simulation.allCases();
    }
    try (Simulation restarted = new Simulation(Scenario.of(8, 5L), first, Clock.systemUTC(), new Faults())) {
      assertThat(restarted.allCases()).isEqualTo(before);
    }
  }

  @Test
  void changesFollowTheLifecycleAndUnknownCasesAreRefused() {
    try (Simulation simulation = new Simulation(Scenario.of(3, 1L), first, FIXED, new Faults())) {
      SimulatedCase c = simulation.createCase(simulation.managementAccountId(), "s", "aws-lambda", "low", "en");
      assertThat(c.status()).isEqualTo("unassigned");
      assertThat(simulation.addCommunication(c.caseId(), true, "hello").status()).isEqualTo("pending-customer-action");
      assertThat(simulation.addCommunication(c.caseId(), false, "thanks").status()).isEqualTo("customer-action-completed");
      assertThat(simulation.resolve(c.caseId()).status()).isEqualTo("resolved");
      assertThat(simulation.reopen(c.caseId()).status()).isEqualTo("reopened");
      assertThat(simulation.findCase(c.caseId()).orElseThrow().communications()).extracting(SimulatedCommunication::body)
          .containsExactly("thanks", "hello", "s");
      assertThatThrownBy(() -> simulation.setStatus(c.caseId(), "closed")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> simulation.resolve("case-nope")).isInstanceOf(NoSuchElementException.class);
    }
  }

  @Test
  void listenersHearEveryChangeInOrderWithTheCaseAsItBecame() {
    try (Simulation simulation = new Simulation(Scenario.of(3, 1L), first, FIXED, new Faults())) {
      List<String> heard = new java.util.ArrayList<>();
      simulation.onChange((accountId, now, at) -> heard.add(accountId + " " + now.status() + " " + at));
      String account = simulation.managementAccountId();
      SimulatedCase c = simulation.createCase(account, "s", "aws-lambda", "low", "en");
      simulation.addCommunication(c.caseId(), true, "hello");
      simulation.resolve(c.caseId());
      assertThatThrownBy(() -> simulation.resolve("case-nope")).isInstanceOf(NoSuchElementException.class);

      String at = FIXED.instant().toString();
      assertThat(heard).containsExactly(account + " unassigned " + at, account + " pending-customer-action " + at,
          account + " resolved " + at);
    }
  }

  @Test
  void theLifecycleThreadChangesCasesUntilPaused() {
    Scenario fast = new Scenario(4L, 4, null, null, null, null, null, null, null, null, null, 3600.0, 20.0, null, null, null);
    try (Simulation simulation = new Simulation(fast, first, Clock.systemUTC(), new Faults())) {
      Map<String, List<SimulatedCase>> initial = simulation.allCases();
      simulation.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> !simulation.allCases().equals(initial));
      simulation.pause();
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        Map<String, List<SimulatedCase>> snapshot = simulation.allCases();
        Thread.sleep(300);
        return snapshot.equals(simulation.allCases());
      });
      assertThat(simulation.isPaused()).isTrue();
    }
  }
}
