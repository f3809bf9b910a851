package io.casefeed.collector;

import io.casefeed.archrules.HouseRules;
import org.junit.jupiter.api.Test;

/** The house rules on this module's production classes (see {@link HouseRules}). */
class ArchitectureTest {

  @Test
  void productionCodeKeepsTheHouseRules() {
    HouseRules.forModule("io.casefeed.collector").component()
        .allowRawTime("io.casefeed.collector.poll.PollScheduler", "NOT YET on the seam (#14): release waits for in-flight polls")
        .allowRawTime("io.casefeed.collector.events.FollowedAccounts", "NOT YET on the seam (#14): refresh interval of the followed set")
        .allowRawTime("io.casefeed.collector.events.SqsEventReader", "NOT YET on the seam (#14): receive backoff and hand-off deadline")
        .check();
  }
}
