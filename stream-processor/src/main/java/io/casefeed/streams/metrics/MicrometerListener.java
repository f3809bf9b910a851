package io.casefeed.streams.metrics;

import io.casefeed.streams.topology.ProcessingListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The topology's own metrics: observations in, change events out per type, dead letters per
 * source topic, and the end-to-end lag from the collector's observation to its processing here.
 */
public final class MicrometerListener implements ProcessingListener {

  private final MeterRegistry registry;
  private final Clock clock;
  private final Counter observations;
  private final Timer endToEndLag;

  public MicrometerListener(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
    this.observations = Counter.builder("casefeed.streams.observations").description("Observations read (records in)").register(registry);
    this.endToEndLag = Timer.builder("casefeed.streams.end.to.end.lag")
        .description("From the collector's observedAt to change detection").publishPercentiles(0.5, 0.9, 0.99).register(registry);
  }

  @Override
  public void observation(Instant observedAt) {
    observations.increment();
    Duration lag = Duration.between(observedAt, clock.instant());
    endToEndLag.record(lag.isNegative() ? Duration.ZERO : lag);
  }

  @Override
  public void change(String changeType) {
    Counter.builder("casefeed.streams.changes").description("Change events written (records out) by type")
        .tag("type", changeType).register(registry).increment();
  }

  @Override
  public void deadLetter(String sourceTopic) {
    Counter.builder("casefeed.streams.dead.letters").description("Records sent to the dead-letter topic")
        .tag("source", sourceTopic).register(registry).increment();
  }
}
