package io.casefeed.collector.events;

import io.casefeed.schema.SupportEvent;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** Where the queue reader hands what it took off the queue; each future completes when Kafka acknowledged. */
public interface EventSink {

  CompletableFuture<Void> event(SupportEvent event);

  /**
   * A message that is no event casefeed takes, kept byte for byte with the reason.
   *
   * @param accountId the envelope's account when it could be read, else null
   */
  CompletableFuture<Void> rejected(String accountId, String reason, String body, String messageId, Instant at);
}
