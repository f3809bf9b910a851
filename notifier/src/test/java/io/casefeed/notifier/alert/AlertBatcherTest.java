package io.casefeed.notifier.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.notifier.testing.Cases;
import io.casefeed.notifier.view.CaseSummary;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AlertBatcherTest {

  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  private static AlertEvent event(String id, Instant at) {
    return new AlertEvent(id, AlertEvent.Kind.NEW_CASE, "111111111111", at, null, "new");
  }

  @Test
  void aBurstInOneWindowIsOneBatchDueAfterTheGrace() {
    AlertBatcher batcher = new AlertBatcher(Duration.ofMinutes(1), Duration.ofSeconds(10), T0);
    for (int i = 0; i < 50; i++) {
      batcher.add(event("e" + i, T0.plusMillis(100L * i)), T0.plusSeconds(6));
    }
    assertThat(batcher.dueWindows(T0.plusSeconds(69))).isEmpty();
    assertThat(batcher.dueWindows(T0.plusSeconds(70))).containsExactly(T0);
    assertThat(batcher.events(T0)).hasSize(50);
  }

  @Test
  void theSameEventTwiceIsKeptOnce() {
    AlertBatcher batcher = new AlertBatcher(Duration.ofMinutes(1), Duration.ZERO, T0);
    batcher.add(event("e", T0.plusSeconds(1)), T0);
    batcher.add(event("e", T0.plusSeconds(1)), T0);
    assertThat(batcher.events(T0)).hasSize(1);
  }

  @Test
  void eventsOfWindowsDoneBeforeARestartAreDroppedAndLateOnesGoToTheCurrentWindow() {
    AlertBatcher batcher = new AlertBatcher(Duration.ofMinutes(1), Duration.ZERO, T0);
    assertThat(batcher.add(event("old", T0.minusSeconds(5)), T0)).isFalse();
    batcher.add(event("a", T0.plusSeconds(5)), T0.plusSeconds(5));
    batcher.close(T0);
    batcher.add(event("late", T0.plusSeconds(30)), T0.plusSeconds(125));
    assertThat(batcher.events(T0.plusSeconds(120))).extracting(AlertEvent::id).containsExactly("late");
  }

  @Test
  void theWatermarkStopsAtTheOldestOpenWindowAndNeverGoesBack() {
    AlertBatcher batcher = new AlertBatcher(Duration.ofMinutes(1), Duration.ZERO, T0);
    batcher.add(event("a", T0.plusSeconds(70)), T0.plusSeconds(70));
    assertThat(batcher.doneBefore(T0.plusSeconds(300))).isEqualTo(T0.plusSeconds(60));
    batcher.close(T0.plusSeconds(60));
    assertThat(batcher.doneBefore(T0.plusSeconds(300))).isEqualTo(T0.plusSeconds(300));
    assertThat(batcher.doneBefore(T0.plusSeconds(200))).isEqualTo(T0.plusSeconds(300));
  }

  @Test
  void anErasedCaseLeavesTheWindowsNotYetSentAndOtherCasesStay() {
    AlertBatcher batcher = new AlertBatcher(Duration.ofSeconds(30), Duration.ofSeconds(5), T0.minusSeconds(60));
    AlertEvent erased = new AlertEvent("erased", AlertEvent.Kind.NEW_CASE, "111111111111", T0.plusSeconds(1),
        CaseSummary.of(Cases.details("111111111111", "4711", "Jane's payroll export fails", "opened", "urgent", T0)), "opened as urgent");
    AlertEvent kept = new AlertEvent("kept", AlertEvent.Kind.NEW_CASE, "111111111111", T0.plusSeconds(2),
        CaseSummary.of(Cases.details("111111111111", "4712", "Queue stuck", "opened", "urgent", T0)), "opened as urgent");
    AlertEvent unreadable = event("account", T0.plusSeconds(3));
    batcher.add(erased, T0.plusSeconds(3));
    batcher.add(kept, T0.plusSeconds(3));
    batcher.add(unreadable, T0.plusSeconds(3));

    batcher.forgetCase("111111111111", erased.details().caseId());

    assertThat(batcher.events(batcher.windowStart(T0))).containsExactly(kept, unreadable);
    batcher.forgetCase("222222222222", kept.details().caseId());
    assertThat(batcher.events(batcher.windowStart(T0))).as("another account's case of the same id").contains(kept);
  }
}
