package io.casefeed.common.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StoppableSleeperTest {

  @Test
  void stopEndsAPauseUnderWayAndEveryLaterOne() throws Exception {
    StoppableSleeper sleeper = new StoppableSleeper();
    CountDownLatch sleeping = new CountDownLatch(1);
    CompletableFuture<Void> pause = CompletableFuture.runAsync(() -> {
      sleeping.countDown();
      try {
        sleeper.sleep(Duration.ofHours(1));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(sleeping.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(sleeper.stopped()).isFalse();

    sleeper.stop();

    // An hour's pause that ended: the stop ended it, whatever the machine's speed.
    pause.get(30, TimeUnit.SECONDS);
    assertThat(pause).isCompleted().isNotCompletedExceptionally();
    assertThat(sleeper.stopped()).isTrue();
    sleeper.sleep(Duration.ofHours(1));
    sleeper.stop();
    assertThat(sleeper.stopped()).isTrue();
  }

  @Test
  void aPauseThatIsNotStoppedReallyWaitsAndAnInterruptStillEndsIt() throws Exception {
    StoppableSleeper sleeper = new StoppableSleeper();
    long before = System.nanoTime();
    sleeper.sleep(Duration.ofMillis(50));
    assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
    sleeper.sleep(Duration.ZERO);
    sleeper.sleep(Duration.ofMillis(-5));

    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> sleeper.sleep(Duration.ofHours(1))).isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
  }
}
