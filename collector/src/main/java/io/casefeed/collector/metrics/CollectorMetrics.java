package io.casefeed.collector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The collector's meters, named casefeed.collector.*; counters are looked up once, then reused on the hot path. */
public final class CollectorMetrics {

  /** Changes the polls found that no event announced (events on only), tagged account and change. */
  public static final String EVENTS_MISSED = "casefeed.collector.events.missed";
  /** Accounts polled at the plain fast interval because their events stopped (events on only). */
  public static final String EVENTS_FALLBACK = "casefeed.collector.events.fallback";

  private final MeterRegistry registry;
  private final Map<String, Counter> calls = new ConcurrentHashMap<>();
  private final Map<String, Counter> throttles = new ConcurrentHashMap<>();
  private final Map<String, Counter> retries = new ConcurrentHashMap<>();
  private final Counter observations;
  private final Counter publishFailures;

  public CollectorMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.observations = Counter.builder("casefeed.collector.observations").description("Case observations published")
        .register(registry);
    this.publishFailures = Counter.builder("casefeed.collector.publish.failures").description("Records Kafka did not accept")
        .register(registry);
  }

  public void pollFinished(String accountId, String kind, String outcome, Duration duration) {
    Timer.builder("casefeed.collector.poll.duration").description("Duration of one account poll")
        .tag("kind", kind).tag("outcome", outcome).register(registry).record(duration);
    Counter.builder("casefeed.collector.poll.outcomes").description("Account polls by outcome")
        .tag("account", accountId).tag("kind", kind).tag("outcome", outcome).register(registry).increment();
  }

  public void call(String operation) {
    calls.computeIfAbsent(operation, o -> Counter.builder("casefeed.collector.api.calls").description("AWS API calls made")
        .tag("operation", o).register(registry)).increment();
  }

  public void throttled(String operation) {
    throttles.computeIfAbsent(operation, o -> Counter.builder("casefeed.collector.api.throttles")
        .description("Calls AWS refused with a throttling error").tag("operation", o).register(registry)).increment();
  }

  public void retried(String operation) {
    retries.computeIfAbsent(operation, o -> Counter.builder("casefeed.collector.api.retries")
        .description("Calls retried after a throttle or a 5xx").tag("operation", o).register(registry)).increment();
  }

  public void overrun(String accountId) {
    Counter.builder("casefeed.collector.poll.overruns").description("Polls still running when the next was due")
        .tag("account", accountId).register(registry).increment();
  }

  /** Every sighting of an unreadable item, whether it was dead-lettered now or already before. */
  public void unreadableReplyItem(String accountId) {
    Counter.builder("casefeed.collector.reply.unreadable")
        .description("Sightings of Support reply items that could not become observations (each dead-lettered once per version)")
        .tag("account", accountId).register(registry).increment();
  }

  /** A sighting of an unreadable item already dead-lettered unchanged: counted, not stored again. */
  public void unreadableReplyItemRepeated(String accountId) {
    Counter.builder("casefeed.collector.reply.unreadable.repeated")
        .description("Sightings of unreadable Support reply items already on the dead-letter topic unchanged, not sent again")
        .tag("account", accountId).register(registry).increment();
  }

  /** An AWS Support event named a case of an account this instance reads: the case is re-read at once. */
  public void eventAnnounced(String accountId) {
    Counter.builder("casefeed.collector.events.announced").description("Support events that made a case be re-read")
        .tag("account", accountId).register(registry).increment();
  }

  /** An event id seen lately came again (EventBridge and SQS deliver at least once): no second read. */
  public void eventRepeated(String accountId) {
    Counter.builder("casefeed.collector.events.repeated").description("Support events seen before, not read again")
        .tag("account", accountId).register(registry).increment();
  }

  /** A poll found a change AWS Support publishes an event for, and no event announced it. */
  public void eventMissed(String accountId, String change) {
    Counter.builder(EVENTS_MISSED).description("Changes a poll found that no Support event announced")
        .tag("account", accountId).tag("change", change).register(registry).increment();
  }

  /** An event on casefeed.support-events that this instance could not act on went to the dead-letter topic. */
  public void eventDeadLettered() {
    Counter.builder("casefeed.collector.events.dead.letters").description("Support events sent to the dead-letter topic")
        .register(registry).increment();
  }

  public void observationsPublished(int count) {
    observations.increment(count);
  }

  public void publishFailed() {
    publishFailures.increment();
  }

  /** Shows how many accounts fell back to the plain fast poll, as {@code count} tells at each scrape. */
  public void fallbackGauge(java.util.function.Supplier<Number> count) {
    Gauge.builder(EVENTS_FALLBACK, count).description("Accounts whose events stopped, polled at the plain fast interval")
        .register(registry);
  }
}
