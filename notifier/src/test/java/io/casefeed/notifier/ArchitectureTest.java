package io.casefeed.notifier;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.casefeed.archrules.HouseRules;
import org.junit.jupiter.api.Test;

/** The house rules on this module's production classes (see {@link HouseRules}). */
class ArchitectureTest {

  @Test
  void productionCodeKeepsTheHouseRules() {
    // check() throws an AssertionError naming every violation (HouseRulesTest shows it failing).
    assertThatCode(() -> HouseRules.forModule("io.casefeed.notifier").component()
            .allowRawTime("io.casefeed.notifier.cli.PauseAtStep", "a crash-test hook that holds the JVM still until it is SIGKILLed")
            .check())
        .doesNotThrowAnyException();
  }
}
