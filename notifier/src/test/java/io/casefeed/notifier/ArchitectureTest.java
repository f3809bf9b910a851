package io.casefeed.notifier;

import io.casefeed.archrules.HouseRules;
import org.junit.jupiter.api.Test;

/** The house rules on this module's production classes (see {@link HouseRules}). */
class ArchitectureTest {

  @Test
  void productionCodeKeepsTheHouseRules() {
    HouseRules.forModule("io.casefeed.notifier").component()
        .allowRawTime("io.casefeed.notifier.cli.PauseAtStep", "a crash-test hook that holds the JVM still until it is SIGKILLed")
        .check();
  }
}
