package io.casefeed.notifier.cli;

import io.casefeed.notifier.delivery.OutgoingMail;
import io.casefeed.notifier.delivery.ProtocolListener;
import io.casefeed.notifier.delivery.ProtocolStep;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * For crash tests only: with {@code -Dcasefeed.notifier.pause-at=STEP} (and optionally
 * {@code -Dcasefeed.notifier.pause-at.occurrence=N}, default 1) the notifier announces
 * "casefeed-notifier paused at STEP <mail id>" on stderr at the Nth time it reaches STEP and
 * then waits forever, so the test can SIGKILL it at exactly that step.
 */
final class PauseAtStep implements ProtocolListener {

  static final String PROPERTY = "casefeed.notifier.pause-at";

  private final ProtocolStep step;
  private final int occurrence;
  private final AtomicInteger seen = new AtomicInteger();

  private PauseAtStep(ProtocolStep step, int occurrence) {
    this.step = step;
    this.occurrence = occurrence;
  }

  static ProtocolListener fromSystemProperties() {
    String step = System.getProperty(PROPERTY);
    if (step == null || step.isBlank()) {
      return ProtocolListener.NONE;
    }
    return new PauseAtStep(ProtocolStep.valueOf(step.trim().toUpperCase(Locale.ROOT)),
        Integer.getInteger(PROPERTY + ".occurrence", 1));
  }

  @Override
  public void reached(ProtocolStep reached, OutgoingMail mail) {
    if (reached != step || seen.incrementAndGet() != occurrence) {
      return;
    }
    System.err.println("casefeed-notifier paused at " + step + " " + mail.mailId());
    System.err.flush();
    while (true) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
