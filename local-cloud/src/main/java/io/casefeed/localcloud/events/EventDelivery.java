package io.casefeed.localcloud.events;

import java.time.Duration;
import java.util.Objects;

/**
 * How local-cloud's EventBridge delivers {@code Support Case Update} events: to which SQS queue, how
 * late, and how unreliably. EventBridge delivers best effort, so the faults are those a consumer must
 * survive: an event lost, delivered twice, or overtaken by a later one.
 *
 * @param queueUrl the target queue; null = events off
 * @param delay how long after the change an event is sent
 * @param lossFraction share of events never sent, 0..1
 * @param duplicateFraction share of events sent twice, 0..1
 * @param reorderFraction share of events held back by a random extra delay up to {@code reorderWindow}, 0..1
 */
public record EventDelivery(String queueUrl, Duration delay, double lossFraction, double duplicateFraction,
    double reorderFraction, Duration reorderWindow) {

  public static final EventDelivery OFF = new EventDelivery(null, Duration.ZERO, 0, 0, 0, Duration.ZERO);

  public EventDelivery {
    Objects.requireNonNull(delay);
    Objects.requireNonNull(reorderWindow);
    if (delay.isNegative() || reorderWindow.isNegative()) {
      throw new IllegalArgumentException("delays must not be negative");
    }
    fraction("lossFraction", lossFraction);
    fraction("duplicateFraction", duplicateFraction);
    fraction("reorderFraction", reorderFraction);
  }

  /** Every event to {@code queueUrl}, after {@code delay}, without faults. */
  public static EventDelivery to(String queueUrl, Duration delay) {
    return new EventDelivery(Objects.requireNonNull(queueUrl), delay, 0, 0, 0, Duration.ZERO);
  }

  public EventDelivery withFaults(double loss, double duplicates, double reorder, Duration window) {
    return new EventDelivery(queueUrl, delay, loss, duplicates, reorder, window);
  }

  public boolean on() {
    return queueUrl != null;
  }

  private static void fraction(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be between 0 and 1, was " + value);
    }
  }
}
