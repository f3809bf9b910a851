package io.casefeed.collector.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.common.time.MutableClock;
import io.casefeed.schema.SupportEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

class SqsEventReaderTest {

  /** An SQS that is down: every call fails (the SDK's default methods throw). */
  static final class DownSqs implements SqsClient {
    @Override
    public String serviceName() {
      return "sqs";
    }

    @Override
    public void close() {}
  }

  static final class NoSink implements EventSink {
    @Override
    public CompletableFuture<Void> event(SupportEvent event) {
      throw new AssertionError("nothing is received from a queue that is down");
    }

    @Override
    public CompletableFuture<Void> rejected(String accountId, String reason, String body, String messageId, Instant at) {
      throw new AssertionError("nothing is received from a queue that is down");
    }
  }

  @Test
  void aQueueThatIsDownIsReadAgainAfterABackoffThatDoublesUpToAMinuteOnTheSeam() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-05T09:00:00Z"));
    List<Duration> pauses = new CopyOnWriteArrayList<>();
    CountDownLatch enough = new CountDownLatch(1);
    SqsEventReader reader = new SqsEventReader(new DownSqs(), "http://127.0.0.1:1/000000000000/q", Duration.ofSeconds(30),
        new NoSink(), a -> true, clock, pause -> {
          clock.sleep(pause);
          pauses.add(pause);
          if (pauses.size() == 9) {
            enough.countDown();
            throw new InterruptedException("enough");
          }
        }, 0);
    reader.start();
    assertThat(enough.await(10, TimeUnit.SECONDS)).as("the backoff is played on the clock, not waited for").isTrue();
    reader.close();

    assertThat(pauses).extracting(Duration::toSeconds).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-05T09:00:00Z").plusSeconds(243));
  }

  @Test
  void theBackoffDoublesAndStopsAtAMinute() {
    assertThat(SqsEventReader.nextBackoff(SqsEventReader.FIRST_BACKOFF)).isEqualTo(Duration.ofSeconds(2));
    assertThat(SqsEventReader.nextBackoff(Duration.ofSeconds(40))).isEqualTo(SqsEventReader.MAX_BACKOFF);
    assertThat(SqsEventReader.nextBackoff(SqsEventReader.MAX_BACKOFF)).isEqualTo(SqsEventReader.MAX_BACKOFF);
  }
}
