package io.casefeed.bench.soak;

import io.casefeed.localcloud.LocalCloud;
import java.nio.file.Path;
import java.util.Map;

/**
 * The whole pipeline the soak measures, running. The app's demo provides it: {@code bench} cannot
 * depend on {@code app} (the app depends on {@code bench} for {@code casefeed bench}), so the soak
 * asks for the pipeline through this seam instead of wiring the components a second time.
 */
public interface SoakPipeline extends AutoCloseable {

  /** The simulated organisation, its S3 and its schema registry. */
  LocalCloud cloud();

  /** The broker's bootstrap servers. */
  String kafkaBootstrapServers();

  /** The stream-processor's application id, whose lag the warm-up waits for. */
  String streamsApplicationId();

  /** The bucket the sink writes the change history to. */
  String bucket();

  /** The sum of a counter's values over all its tags, as the pipeline's meters have it now; 0 when never counted. */
  double counterTotal(String name);

  @Override
  void close();

  /**
   * What to start: the organisation, AWS Support's events, and the settings that replace or add to
   * the pipeline's own for the collector, the stream-processor and the sink.
   */
  record Spec(Path dataDir, int accounts, double speed, long fastPollMs, long sweepMs, Events events,
      Map<String, String> collectorSettings, Map<String, String> streamsSettings, Map<String, String> sinkSettings) {
    public Spec {
      java.util.Objects.requireNonNull(events, "events");
      collectorSettings = Map.copyOf(collectorSettings);
      streamsSettings = Map.copyOf(streamsSettings);
      sinkSettings = Map.copyOf(sinkSettings);
    }
  }

  /**
   * Whether local-cloud's EventBridge sends {@code Support Case Update} events to a queue the
   * collector reads, and which share of them it drops or sends twice.
   */
  record Events(boolean on, double lossFraction, double duplicateFraction) {
    public static final Events OFF = new Events(false, 0, 0);
  }

  /** Starts the pipeline; returns once every component runs. */
  @FunctionalInterface
  interface Launcher {
    SoakPipeline start(Spec spec) throws Exception;
  }
}
