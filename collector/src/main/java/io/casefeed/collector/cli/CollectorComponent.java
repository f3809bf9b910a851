package io.casefeed.collector.cli;

import io.casefeed.collector.Collector;
import io.casefeed.common.component.Component;
import io.casefeed.common.component.ComponentContext;

/**
 * The collector under the one lifecycle; its readiness is the one {@code /health/ready} reports, and a
 * thread of it that dies on an error stops the process (exit 1) rather than leaving it half-dead.
 */
public record CollectorComponent(Collector collector) implements Component {
  @Override
  public String name() {
    return "collector";
  }

  @Override
  public void start(ComponentContext context) {
    collector.start(context::fail);
  }

  @Override
  public boolean ready() {
    return collector.ready();
  }

  @Override
  public void close() {
    collector.close();
  }
}
