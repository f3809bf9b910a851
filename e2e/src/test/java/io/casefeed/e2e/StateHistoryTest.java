package io.casefeed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateHistoryTest {

  private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  private static final Duration OBSERVABLE = Duration.ofSeconds(3);

  private static Instant at(double seconds) {
    return T0.plusMillis((long) (seconds * 1000));
  }

  private static StateSpan span(double from, double to) {
    return new StateSpan("s", at(from), at(to));
  }

  private static Interval blind(double from, double to) {
    return new Interval(at(from), at(to));
  }

  @Test
  void aStateLongerThanThePollIntervalWithNoFaultMustBeSeen() {
    assertThat(StateHistory.required(span(0, 3.5), List.of(), OBSERVABLE)).isTrue();
    assertThat(StateHistory.required(span(0, 2.9), List.of(), OBSERVABLE)).isFalse();
  }

  @Test
  void onlyCleanTimeInOnePieceCounts() {
    // 10 s long, but a fault covers its middle: two clean pieces of 2 s each.
    assertThat(StateHistory.required(span(0, 10), List.of(blind(2, 8)), OBSERVABLE)).isFalse();
    // The same with the fault over earlier: a clean tail of 4 s.
    assertThat(StateHistory.required(span(0, 10), List.of(blind(1, 6)), OBSERVABLE)).isTrue();
    // Overlapping and unsorted windows together leave 1 s + 1 s + 2 s.
    assertThat(StateHistory.required(span(0, 10), List.of(blind(6, 8), blind(1, 4), blind(3, 5)), OBSERVABLE)).isFalse();
    // A window entirely before or after the state does not matter.
    assertThat(StateHistory.required(span(10, 14), List.of(blind(0, 9), blind(15, 20)), OBSERVABLE)).isTrue();
  }

  @Test
  void requiredStatesAreMatchedInOrderAndEachAtMostOnce() {
    List<String> truth = List.of("A", "B", "A", "C");
    // Every state required: the feed saw all four in order.
    assertThat(StateHistory.requiredMatchedInOrder(truth, List.of(true, true, true, true), List.of("A", "B", "A", "C"))).isEqualTo(4);
    // The second A is missing: one lost, even though an A was observed.
    assertThat(StateHistory.requiredMatchedInOrder(truth, List.of(true, true, true, true), List.of("A", "B", "C"))).isEqualTo(3);
    // Out of order: C before B cannot both match.
    assertThat(StateHistory.requiredMatchedInOrder(List.of("A", "B", "C"), List.of(true, true, true), List.of("A", "C", "B"))).isEqualTo(2);
    // A short state (not required) may be skipped by the feed without loss.
    assertThat(StateHistory.requiredMatchedInOrder(truth, List.of(true, false, true, true), List.of("A", "C"))).isEqualTo(2);
    assertThat(StateHistory.requiredMatchedInOrder(truth, List.of(true, false, false, true), List.of("A", "C"))).isEqualTo(2);
  }
}
