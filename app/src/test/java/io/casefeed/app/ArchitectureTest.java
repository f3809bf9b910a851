package io.casefeed.app;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.casefeed.archrules.HouseRules;
import org.junit.jupiter.api.Test;

/** The house rules on this module's production classes (see {@link HouseRules}). */
class ArchitectureTest {

  @Test
  void productionCodeKeepsTheHouseRules() {
    // check() throws an AssertionError naming every violation (HouseRulesTest shows it failing).
    assertThatCode(() -> HouseRules.forModule("io.casefeed.app")
        .allowTestOnlyDependencies("io.casefeed.app.demo", "casefeed demo runs the whole pipeline on the stand-ins and the broker in one JVM")
        .allowTestOnlyDependencies("io.casefeed.app.BenchCommand", "casefeed bench runs the bench module by design")
        .allowTestOnlyDependencies("io.casefeed.app.KafkaCommand", "casefeed kafka starts the embedded broker for local use")
        .allowTestOnlyDependencies("io.casefeed.app.Casefeed", "the CLI root lists the demo, bench and kafka commands")
        .allowRawTime("io.casefeed.app.demo.DemoCommand", "progress rate printed to a person, real elapsed time wanted")
        .check())
        .doesNotThrowAnyException();
  }
}
