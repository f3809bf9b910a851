package io.casefeed.localcloud;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.casefeed.archrules.HouseRules;
import org.junit.jupiter.api.Test;

/** The house rules on this module's production classes (see {@link HouseRules}). */
class ArchitectureTest {

  @Test
  void productionCodeKeepsTheHouseRules() {
    // check() throws an AssertionError naming every violation (HouseRulesTest shows it failing).
    assertThatCode(() -> HouseRules.forModule("io.casefeed.localcloud")
            .testOnlyDependenciesAllowed("local-cloud is the stand-in itself; it runs s3proxy for S3")
            .allowRawTime("io.casefeed.localcloud.Simulation", "the stand-in throttles saving its state by real time")
            .allowRawTime("io.casefeed.localcloud.Faults", "the stand-in throttles like AWS, by real time")
            .allowRawTime("io.casefeed.localcloud.s3.LocalS3", "waits for s3proxy to start listening")
            .check())
        .doesNotThrowAnyException();
  }
}
