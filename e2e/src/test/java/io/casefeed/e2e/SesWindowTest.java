package io.casefeed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.localcloud.OutboxMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Only a resend that the evidence pins to a SIGKILL in the SES window is told apart from a duplicate. */
class SesWindowTest {

  private static final Instant T0 = Instant.parse("2026-11-26T17:09:27Z");
  private static final OutboxMessage FIRST = copy("ses-1", T0);
  private static final OutboxMessage SECOND = copy("ses-2", T0.plusSeconds(7));

  @Test
  void aKillRightAfterAcceptanceWithOnlyTheSecondCopyRecordedIsTheWindow() {
    assertThat(InvariantChecker.killInSesWindow(List.of(SECOND, FIRST), List.of("ses-2"), List.of(T0.plusMillis(12))))
        .hasValueSatisfying(why -> assertThat(why).contains("12 ms after that acceptance (not yet recorded)"));
  }

  @Test
  void aKillWhileTheSendWasInFlightIsTheWindowToo() {
    // SES accepted the request the dead notifier had sent 300 ms before it died: it never heard back.
    assertThat(InvariantChecker.killInSesWindow(List.of(FIRST, SECOND), List.of("ses-2"), List.of(T0.minusMillis(300))))
        .hasValueSatisfying(why -> assertThat(why).contains("300 ms before that acceptance (its request in flight)"));
  }

  @Test
  void withoutAKillInTheWindowItIsADuplicate() {
    assertThat(InvariantChecker.killInSesWindow(List.of(FIRST, SECOND), List.of("ses-2"), List.of())).isEmpty();
    assertThat(InvariantChecker.killInSesWindow(List.of(FIRST, SECOND), List.of("ses-2"),
        List.of(T0.minus(InvariantChecker.SES_WINDOW_BOUND).minusMillis(1)))).as("killed long before").isEmpty();
    assertThat(InvariantChecker.killInSesWindow(List.of(FIRST, SECOND), List.of("ses-2"),
        List.of(T0.plus(InvariantChecker.SES_WINDOW_BOUND).plusMillis(1)))).as("killed long after").isEmpty();
  }

  @Test
  void aFirstCopyThatWasRecordedSentMakesTheSecondADuplicate() {
    List<Instant> kill = List.of(T0.plusMillis(12));
    assertThat(InvariantChecker.killInSesWindow(List.of(FIRST, SECOND), List.of("ses-1"), kill)).isEmpty();
    assertThat(InvariantChecker.killInSesWindow(List.of(FIRST, SECOND), List.of("ses-1", "ses-2"), kill)).isEmpty();
  }

  @Test
  void threeCopiesAreNeverExplainedByOneWindow() {
    OutboxMessage third = copy("ses-3", T0.plusSeconds(9));
    assertThat(InvariantChecker.killInSesWindow(List.of(FIRST, SECOND, third), List.of("ses-3"),
        List.of(T0.plusMillis(12), T0.plusSeconds(7).plusMillis(5)))).isEmpty();
  }

  @Test
  void aDuplicateNamesTheNearestKill() {
    assertThat(InvariantChecker.nearestKill(T0, List.of(T0.plusSeconds(30), T0.minusMillis(2500))))
        .isEqualTo("nearest notifier SIGKILL 2500 ms before the first copy");
    assertThat(InvariantChecker.nearestKill(T0, List.of())).isEqualTo("no notifier SIGKILL");
  }

  private static OutboxMessage copy(String messageId, Instant sentAt) {
    return new OutboxMessage(messageId, "casefeed@example.com", List.of("ops@example.com"), new byte[0], Map.of(), sentAt);
  }
}
