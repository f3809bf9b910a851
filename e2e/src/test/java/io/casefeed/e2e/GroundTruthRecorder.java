package io.casefeed.e2e;

import io.casefeed.bench.CaseFingerprint;
import io.casefeed.localcloud.SimulatedCase;
import io.casefeed.localcloud.Simulation;
import io.casefeed.schemas.CaseKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples local-cloud's ground truth often (every {@code period}) and keeps, per case, the sequence
 * of its states with when each began and ended. A state that lasted less than one period may be
 * missed; the suite only requires states lasting several periods, so that never matters.
 */
final class GroundTruthRecorder implements AutoCloseable {

  private final Simulation simulation;
  private final Clock clock;
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "ground-truth-sampler");
    thread.setDaemon(true);
    return thread;
  });
  /** Case key to its states so far; the last one is still current (its end is the last sample). */
  private final Map<String, List<StateSpan>> histories = new LinkedHashMap<>();
  private long samples;

  GroundTruthRecorder(Simulation simulation, Clock clock) {
    this.simulation = simulation;
    this.clock = clock;
  }

  void start(Duration period) {
    sample();
    sampler.scheduleAtFixedRate(this::sample, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  synchronized void sample() {
    Instant now = clock.instant();
    for (Map.Entry<String, List<SimulatedCase>> account : simulation.allCases().entrySet()) {
      for (SimulatedCase truth : account.getValue()) {
        List<StateSpan> history = histories.computeIfAbsent(CaseKeys.of(account.getKey(), truth.caseId()), key -> new ArrayList<>());
        String fingerprint = CaseFingerprint.of(truth);
        int last = history.size() - 1;
        if (last >= 0 && history.get(last).fingerprint().equals(fingerprint)) {
          history.set(last, new StateSpan(fingerprint, history.get(last).from(), now));
        } else {
          history.add(new StateSpan(fingerprint, now, now));
        }
      }
    }
    samples++;
  }

  /** Every case's states, in order, up to the last sample. */
  synchronized Map<String, List<StateSpan>> histories() {
    Map<String, List<StateSpan>> copy = new LinkedHashMap<>();
    histories.forEach((key, spans) -> copy.put(key, List.copyOf(spans)));
    return copy;
  }

  synchronized long samples() {
    return samples;
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
