package io.casefeed.common.time;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real {@link Sleeper} whose pauses, the current one and every later one, end at once after
 * {@link #stop()}. A component hands it to whatever waits on its threads (a registry backoff, a
 * wait for a topic to appear) and stops it first when it closes: otherwise close() is held for
 * the rest of a pause that no longer matters. The sink's close took up to 5 s that way, while its
 * accounts writer waited for casefeed.accounts.
 *
 * <p>A pause ended by a stop returns normally rather than throwing {@link InterruptedException}:
 * the thread was not interrupted, and its loop sees the stop in its own flag. A retry that follows
 * such a pause makes its remaining attempts without pausing.
 */
public final class StoppableSleeper implements Sleeper {

  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public void sleep(Duration pause) throws InterruptedException {
    if (pause.compareTo(Duration.ZERO) > 0) {
      stopped.await(pause.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Ends every pause, now and later; idempotent. */
  public void stop() {
    stopped.countDown();
  }

  public boolean stopped() {
    return stopped.getCount() == 0;
  }
}
