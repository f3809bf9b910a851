package io.casefeed.collector.events;

import io.casefeed.common.time.Sleeper;
import io.casefeed.schemas.events.SupportEventParser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Takes AWS Support's events off the SQS queue EventBridge fills and hands each to Kafka: long polls
 * of 20 s, up to 10 messages, and a visibility timeout longer than the hand-off, so that a message is
 * deleted only after Kafka acknowledged it. A collector that dies in between loses nothing: the
 * message becomes visible again and is handed off once more (consumers deduplicate by event id).
 * A message that keeps failing is moved to the queue's own dead-letter queue by SQS's redrive policy.
 */
public final class SqsEventReader implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SqsEventReader.class);
  public static final int WAIT_SECONDS = 20;
  public static final int BATCH = 10;
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
  private static final Pattern ACCOUNT_FIELD = Pattern.compile("\"account\"\\s*:\\s*\"([0-9]{12})\"");

  private final SqsClient sqs;
  private final String queueUrl;
  private final Duration visibilityTimeout;
  private final EventSink sink;
  private final Predicate<String> followed;
  private final Clock clock;
  private final Sleeper sleeper;
  private final int waitSeconds;
  private volatile boolean running;
  private Thread thread;

  /** What one receive did. */
  public record Batch(int received, int published, int rejected, int deleted, int failed) {}

  /**
   * @param visibilityTimeout how long a received message stays hidden; the hand-off must finish within it
   * @param followed whether casefeed follows an account; events for others are dead-lettered
   * @param waitSeconds long-poll wait, {@link #WAIT_SECONDS} in production
   */
  public SqsEventReader(SqsClient sqs, String queueUrl, Duration visibilityTimeout, EventSink sink, Predicate<String> followed,
      Clock clock, int waitSeconds) {
    this(sqs, queueUrl, visibilityTimeout, sink, followed, clock, Sleeper.SYSTEM, waitSeconds);
  }

  /** @param sleeper waits out the backoff after a failed receive (the other half of the time seam) */
  public SqsEventReader(SqsClient sqs, String queueUrl, Duration visibilityTimeout, EventSink sink, Predicate<String> followed,
      Clock clock, Sleeper sleeper, int waitSeconds) {
    if (visibilityTimeout.toSeconds() < 2) {
      throw new IllegalArgumentException("the visibility timeout must leave time for the hand-off, was " + visibilityTimeout);
    }
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.visibilityTimeout = visibilityTimeout;
    this.sink = sink;
    this.followed = followed;
    this.clock = clock;
    this.sleeper = sleeper;
    this.waitSeconds = waitSeconds;
  }

  /** Reads on a thread of its own until {@link #close()}. */
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    running = true;
    thread = new Thread(this::loop, "collector-sqs-events");
    thread.setDaemon(true);
    thread.start();
    LOG.info("reading Support events from {}", queueUrl);
  }

  private void loop() {
    Duration backoff = FIRST_BACKOFF;
    while (running) {
      try {
        receiveOnce();
        backoff = FIRST_BACKOFF;
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        LOG.warn("reading {} failed, again in {} ms: {}", queueUrl, backoff.toMillis(), e.toString());
        try {
          sleeper.sleep(backoff);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = nextBackoff(backoff);
      }
    }
  }

  /** Doubles after each failed receive, up to a minute: a queue that is down is not hammered. */
  static Duration nextBackoff(Duration backoff) {
    Duration doubled = backoff.multipliedBy(2);
    return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
  }

  /** One long poll, the hand-off of what came, and the deletion of what Kafka acknowledged. */
  public Batch receiveOnce() {
    List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(BATCH)
        .waitTimeSeconds(waitSeconds).visibilityTimeout((int) visibilityTimeout.toSeconds())).messages();
    if (messages.isEmpty()) {
      return new Batch(0, 0, 0, 0, 0);
    }
    Instant now = clock.instant();
    List<CompletableFuture<Void>> handOffs = new ArrayList<>(messages.size());
    int published = 0;
    int rejected = 0;
    for (Message message : messages) {
      SupportEventParser.Result parsed = SupportEventParser.parse(message.body(), now, message.messageId());
      if (parsed.ok() && followed.test(parsed.event().getAccountId())) {
        handOffs.add(sink.event(parsed.event()));
        published++;
      } else {
        String reason = parsed.ok() ? "account " + parsed.event().getAccountId() + " is not followed by casefeed" : parsed.reason();
        handOffs.add(sink.rejected(accountOf(message.body(), parsed), reason, message.body(), message.messageId(), now));
        rejected++;
      }
    }
    // Half the visibility timeout: what is not acknowledged by then is left for SQS to hand out again.
    Instant deadline = clock.instant().plus(visibilityTimeout.dividedBy(2));
    List<DeleteMessageBatchRequestEntry> acknowledged = new ArrayList<>();
    int failed = 0;
    for (int i = 0; i < messages.size(); i++) {
      if (acknowledgedBy(handOffs.get(i), deadline)) {
        acknowledged.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
            .receiptHandle(messages.get(i).receiptHandle()).build());
      } else {
        failed++;
      }
    }
    int deleted = 0;
    if (!acknowledged.isEmpty()) {
      DeleteMessageBatchResponse response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(acknowledged));
      deleted = response.successful().size();
      response.failed().forEach(f -> LOG.warn("could not delete a handed-off message ({}): it will come again", f.message()));
    }
    return new Batch(messages.size(), published, rejected, deleted, failed);
  }

  private boolean acknowledgedBy(CompletableFuture<Void> handOff, Instant deadline) {
    try {
      long left = Math.max(0, Duration.between(clock.instant(), deadline).toNanos());
      handOff.get(left, TimeUnit.NANOSECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("a Support event was not acknowledged by Kafka; its message stays on the queue: {}", e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The account of a rejected message when it can be read, so the dead letter is keyed like its account. */
  private static String accountOf(String body, SupportEventParser.Result parsed) {
    if (parsed.ok()) {
      return parsed.event().getAccountId();
    }
    if (body == null || body.length() > SupportEventParser.MAX_BODY_BYTES) {
      return null;
    }
    var matcher = ACCOUNT_FIELD.matcher(body);
    return matcher.find() ? matcher.group(1) : null;
  }

  @Override
  public void close() {
    running = false;
    Thread current;
    synchronized (this) {
      current = thread;
    }
    if (current != null) {
      current.interrupt();
      try {
        current.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS + 5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
