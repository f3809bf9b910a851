package io.casefeed.streams.topology;

import io.casefeed.common.config.CommonConfig;
import io.casefeed.schemas.TopicNames;
import io.casefeed.schemas.Topics;
import java.time.Clock;

/**
 * Everything the topology needs besides serdes: topic names (prefix applied), the per-case history
 * bound, who signs dead letters, the clock stamped on dead letters and pivot cells, and the metrics listener.
 */
public record TopologySettings(
    String observationsTopic,
    String accountsTopic,
    String sweepsTopic,
    String changesTopic,
    String casesTopic,
    String countsTopic,
    String deadLetterTopic,
    int historyMaxChanges,
    String failedBy,
    Clock clock,
    ProcessingListener listener) {

  public static TopologySettings of(CommonConfig config, int historyMaxChanges, String failedBy, Clock clock, ProcessingListener listener) {
    return new TopologySettings(
        TopicNames.of(config, Topics.CASE_OBSERVATIONS), TopicNames.of(config, Topics.ACCOUNTS), TopicNames.of(config, Topics.SWEEPS),
        TopicNames.of(config, Topics.CASE_CHANGES), TopicNames.of(config, Topics.CASES), TopicNames.of(config, Topics.CASE_COUNTS),
        TopicNames.of(config, Topics.DEAD_LETTER), historyMaxChanges, failedBy, clock, listener);
  }

  /** Catalogue names with a prefix, for tests. */
  public static TopologySettings withPrefix(String prefix, int historyMaxChanges, Clock clock) {
    return new TopologySettings(
        prefix + Topics.CASE_OBSERVATIONS.name(), prefix + Topics.ACCOUNTS.name(), prefix + Topics.SWEEPS.name(),
        prefix + Topics.CASE_CHANGES.name(), prefix + Topics.CASES.name(), prefix + Topics.CASE_COUNTS.name(),
        prefix + Topics.DEAD_LETTER.name(), historyMaxChanges, "casefeed-streams", clock, ProcessingListener.NONE);
  }
}
