package io.casefeed.streams;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.casefeed.archrules.HouseRules;
import org.junit.jupiter.api.Test;

/** The house rules on this module's production classes (see {@link HouseRules}). */
class ArchitectureTest {

  @Test
  void productionCodeKeepsTheHouseRules() {
    // check() throws an AssertionError naming every violation (HouseRulesTest shows it failing).
    assertThatCode(() -> HouseRules.forModule("io.casefeed.streams").component()
            .check())
        .doesNotThrowAnyException();
  }
}
