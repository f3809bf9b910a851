package io.casefeed.archrules;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Each rule fails on a class that breaks it, and an allowance with its reason lets that one class pass. */
class HouseRulesTest {

  private static final String FIXTURE = "io.casefeed.archrules.fixture";

  @Test
  void aComponentUsingAStandInSleepingItselfOrShadowingAJdkNameFails() {
    assertThatThrownBy(() -> HouseRules.forAnyClasses(FIXTURE).component().check())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("BrokenComponent.connect()> calls method <io.casefeed.localcloud.FakeStandIn.port()>")
        .hasMessageContaining("calls method <java.lang.Thread.sleep(long)>")
        .hasMessageContaining("io.casefeed.archrules.fixture.Duration is named like java.time.Duration");
  }

  @Test
  void allowancesWithReasonsLetTheNamedClassesPass() {
    assertThatCode(() -> HouseRules.forAnyClasses(FIXTURE)
        .allowTestOnlyDependencies(FIXTURE + ".BrokenComponent", "fixture")
        .allowRawTime(FIXTURE + ".BrokenComponent", "fixture")
        .allowName(FIXTURE + ".Duration", "fixture")
        .check()).doesNotThrowAnyException();
  }

  @Test
  void anAllowanceWithoutAReasonIsRefused() {
    assertThatThrownBy(() -> HouseRules.forAnyClasses(FIXTURE).allowRawTime(FIXTURE + ".BrokenComponent", " "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
