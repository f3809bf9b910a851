package io.casefeed.notifier.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.casefeed.notifier.schedule.DigestSchedule;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The digest plan on given instants: no clock, no waiting, no broker. */
class DigestPlannerTest {

  private static final DigestSchedule HOURLY = DigestSchedule.parse("every 1h", ZoneOffset.UTC);
  private static final Instant T0800 = Instant.parse("2026-12-04T08:00:00Z");
  private static final Instant T0900 = Instant.parse("2026-12-04T09:00:00Z");
  private static final Instant T1000 = Instant.parse("2026-12-04T10:00:00Z");
  private static final Instant T1100 = Instant.parse("2026-12-04T11:00:00Z");

  @Test
  void aFirstStartSendsNothingUnlessAskedAndPlansTheNextFire() {
    DigestPlanner planner = new DigestPlanner(HOURLY, false);
    assertThat(planner.recovery(Optional.empty(), Optional.empty(), T1000.plusSeconds(90))).isEmpty();
    assertThat(planner.next()).isEqualTo(T1100);

    DigestPlanner eager = new DigestPlanner(HOURLY, true);
    assertThat(eager.recovery(Optional.empty(), Optional.empty(), T1000.plusSeconds(90))).containsExactly(T1000);
  }

  @Test
  void aRestartFinishesTheLastDigestThenSendsTheOneMissedWhileDownOnce() {
    DigestPlanner planner = new DigestPlanner(HOURLY, false);
    // Down from 08:xx to 10:30: the 08:00 digest was begun, the 09:00 and 10:00 fires were missed; only 10:00 is sent.
    assertThat(planner.recovery(Optional.of(T0800), Optional.empty(), T1000.plusSeconds(1800))).containsExactly(T0800, T1000);
    assertThat(planner.next()).isEqualTo(T1100);
  }

  @Test
  void withNoDigestRecordedTheWatermarkTellsWhetherAFireWasMissed() {
    DigestPlanner planner = new DigestPlanner(HOURLY, false);
    assertThat(planner.recovery(Optional.empty(), Optional.of(T0900.plusSeconds(60)), T1000.plusSeconds(60))).containsExactly(T1000);
    assertThat(planner.recovery(Optional.empty(), Optional.of(T1000.plusSeconds(30)), T1000.plusSeconds(60))).isEmpty();
  }

  @Test
  void aDueDigestIsTakenOnceAndALateLoopSkipsToTheNextFireAfterNow() {
    DigestPlanner planner = new DigestPlanner(HOURLY, false);
    assertThatThrownBy(() -> planner.takeDue(T1000)).isInstanceOf(IllegalStateException.class);
    planner.recovery(Optional.empty(), Optional.empty(), T0800.plusSeconds(10));
    assertThat(planner.takeDue(T0900.minusMillis(1))).isEmpty();
    assertThat(planner.takeDue(T0900)).contains(T0900);
    assertThat(planner.takeDue(T0900)).isEmpty();
    assertThat(planner.next()).isEqualTo(T1000);
    // Busy until 11:30: the 10:00 period is sent, then the next is 12:00, not 11:00 right away.
    assertThat(planner.takeDue(T1100.plusSeconds(1800))).contains(T1000);
    assertThat(planner.next()).isEqualTo(T1100.plusSeconds(3600));
  }

  @Test
  void changesAreReadFromTheStartOfTheLastDigestBegun() {
    DigestPlanner planner = new DigestPlanner(HOURLY, false);
    assertThat(planner.changesFrom(Optional.of(T1000), Optional.of(T0800), T1100)).isEqualTo(T0800);
    assertThat(planner.changesFrom(Optional.of(T1000), Optional.empty(), T1100)).isEqualTo(T0900);
    assertThat(planner.changesFrom(Optional.empty(), Optional.empty(), T1000.plusSeconds(5))).isEqualTo(T0900);
  }

  @Test
  void aPeriodStartsAtTheDigestRecordedBeforeItOrOnePeriodEarlier() {
    DigestPlanner planner = new DigestPlanner(HOURLY, false);
    assertThat(planner.periodStart(Optional.of(T0800), T1000)).isEqualTo(T0800);
    assertThat(planner.periodStart(Optional.empty(), T1000)).isEqualTo(T0900);
  }
}
