package io.casefeed.collector.it;

import io.casefeed.collector.config.CollectorConfig;
import io.casefeed.collector.events.EventSink;
import io.casefeed.collector.events.KafkaEventSink;
import io.casefeed.collector.events.SupportEventsReading;
import io.casefeed.collector.metrics.CollectorMetrics;
import io.casefeed.collector.publish.KafkaPublisher;
import io.casefeed.schema.SupportEvent;
import io.casefeed.schemas.TopicNames;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * The collector's SQS → Kafka reader alone, in a JVM of its own, wired as the collector wires it
 * ({@link SupportEventsReading}). Mode {@code hold}: the first event the reader hands off is written
 * to the marker file and then never produced: the JVM stays stopped between the SQS receive and
 * Kafka's acknowledgement until the test kills it. Mode {@code pass}: the production sink, unchanged.
 *
 * <p>Arguments: collector properties file, mode, marker file.
 */
public final class EventReaderProcess {

  private EventReaderProcess() {}

  public static void main(String[] args) throws Exception {
    CollectorConfig config = CollectorConfig.load(Path.of(args[0]), Map.of(), Map.of());
    boolean hold = "hold".equals(args[1]);
    Path marker = Path.of(args[2]);
    HttpSchemaRegistryClient registry = new HttpSchemaRegistryClient(config.schemaRegistryUrl());
    KafkaPublisher publisher = new KafkaPublisher(config.kafkaClientSettings(), config.collectorId(),
        new KafkaPublisher.Topics(TopicNames.of(config, Topics.CASE_OBSERVATIONS), TopicNames.of(config, Topics.SWEEPS),
            TopicNames.of(config, Topics.ACCOUNTS), TopicNames.of(config, Topics.DEAD_LETTER)),
        registry, config.autoRegisterSchemas(), new CollectorMetrics(new SimpleMeterRegistry()));
    KafkaEventSink kafka = SupportEventsReading.kafkaSink(config, publisher, registry, config.autoRegisterSchemas());
    Set<String> followed = Set.copyOf(config.staticAccounts());
    EventSink sink = hold ? new Holding(kafka, marker) : kafka;
    SupportEventsReading.start(config, sink, followed::contains, Clock.systemUTC());
    mark(marker, "reading");
    new CountDownLatch(1).await();
  }

  private static void mark(Path marker, String line) {
    try {
      Files.writeString(marker, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
          StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Takes the event off the reader (it was received, so it is invisible on the queue) and never produces it. */
  private record Holding(EventSink delegate, Path marker) implements EventSink {
    @Override
    public CompletableFuture<Void> event(SupportEvent event) {
      mark(marker, "held " + event.getEventId());
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return CompletableFuture.failedFuture(new IllegalStateException("held until killed"));
    }

    @Override
    public CompletableFuture<Void> rejected(String accountId, String reason, String body, String messageId, Instant at) {
      return delegate.rejected(accountId, reason, body, messageId, at);
    }
  }
}
