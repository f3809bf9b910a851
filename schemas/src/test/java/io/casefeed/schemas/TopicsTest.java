package io.casefeed.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void everyTopicIsUniqueAndCompactedTopicsKeepNoRetention() {
    assertThat(new HashSet<>(Topics.ALL.stream().map(TopicSpec::name).toList())).hasSize(Topics.ALL.size());
    for (TopicSpec topic : Topics.ALL) {
      assertThat(topic.name()).startsWith("casefeed.");
      assertThat(topic.topicConfigs()).containsEntry("cleanup.policy", topic.cleanupPolicy().kafkaValue());
      if (topic.cleanupPolicy() == CleanupPolicy.COMPACT) {
        assertThat(topic.topicConfigs()).doesNotContainKey("retention.ms");
      }
    }
  }

  @Test
  void caseKeysSplitAtTheFirstColon() {
    String key = CaseKeys.of("123456789012", "case-123456789012-muen-2024-7c2e4ac0d4e86a8f");
    assertThat(CaseKeys.accountId(key)).isEqualTo("123456789012");
    assertThat(CaseKeys.caseId(key)).isEqualTo("case-123456789012-muen-2024-7c2e4ac0d4e86a8f");
  }

  @Test
  void observationsChangesAndCasesArePartitionedAlike() {
    // The streams app joins them by key: same key format, same partition count.
    assertThat(Topics.CASE_OBSERVATIONS.defaultPartitions())
        .isEqualTo(Topics.CASE_CHANGES.defaultPartitions())
        .isEqualTo(Topics.CASES.defaultPartitions());
    assertThat(Topics.CASE_OBSERVATIONS.keyFormat()).isEqualTo(KeyFormat.CASE_KEY);
  }

  @Test
  void supportEventsAreCoPartitionedWithAccounts() {
    // The instance owning an account's partition of casefeed.accounts must own its events too.
    assertThat(Topics.SUPPORT_EVENTS.defaultPartitions()).isEqualTo(Topics.ACCOUNTS.defaultPartitions());
    assertThat(Topics.SUPPORT_EVENTS.keyFormat()).isEqualTo(Topics.ACCOUNTS.keyFormat()).isEqualTo(KeyFormat.ACCOUNT_ID);
  }
}
