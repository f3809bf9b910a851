package io.casefeed.streams.topology;

import java.time.Instant;

/**
 * What the topology reports as it goes, for metrics. The topology stays free of side effects
 * apart from these calls, and tests pass {@link #NONE}.
 */
public interface ProcessingListener {

  ProcessingListener NONE = new ProcessingListener() {};

  /** An observation was decoded and compared with the case's state. */
  default void observation(Instant observedAt) {}

  /** A change event was emitted. */
  default void change(String changeType) {}

  /** A record went to the dead-letter topic. */
  default void deadLetter(String sourceTopic) {}
}
