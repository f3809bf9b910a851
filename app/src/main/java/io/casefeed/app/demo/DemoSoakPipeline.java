package io.casefeed.app.demo;

import io.casefeed.bench.soak.SoakPipeline;
import io.casefeed.localcloud.LocalCloud;
import io.casefeed.localcloud.events.SupportEventBridge;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;

/** The soak's pipeline is the demo's wiring: one place starts the components together. */
public final class DemoSoakPipeline implements SoakPipeline {

  private final Demo demo;

  private DemoSoakPipeline(Demo demo) {
    this.demo = demo;
  }

  /** Starts the demo with the soak's organisation and settings. */
  public static SoakPipeline start(SoakPipeline.Spec spec) {
    Demo.Options defaults = Demo.Options.defaults(spec.dataDir());
    // No fixed ports (0), the demo's seed; the digest and snapshot cadence of a long-running demo.
    Demo.Options options = new Demo.Options(spec.dataDir(), spec.accounts(), spec.speed(), 0, 0, 0, 0, 0, defaults.seed(),
        spec.fastPollMs(), spec.sweepMs(), "every 5m", 60_000);
    Demo demo = new Demo(options)
        .withSettings(Demo.Component.COLLECTOR, spec.collectorSettings())
        .withSettings(Demo.Component.STREAMS, spec.streamsSettings())
        .withSettings(Demo.Component.SINK, spec.sinkSettings());
    if (spec.events().on()) {
      demo.withEvents();
    }
    demo.start();
    if (spec.events().on()) {
      SupportEventBridge bridge = demo.cloud().supportEvents();
      bridge.configure(bridge.delivery().withFaults(spec.events().lossFraction(), spec.events().duplicateFraction(), 0, Duration.ZERO));
    }
    return new DemoSoakPipeline(demo);
  }

  @Override
  public LocalCloud cloud() {
    return demo.cloud();
  }

  @Override
  public String kafkaBootstrapServers() {
    return demo.endpoints().get("kafka");
  }

  @Override
  public String streamsApplicationId() {
    return Demo.STREAMS_APPLICATION_ID;
  }

  @Override
  public String bucket() {
    return Demo.BUCKET;
  }

  @Override
  public double counterTotal(String name) {
    return demo.meters().find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  @Override
  public void close() {
    demo.close();
  }
}
