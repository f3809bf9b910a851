package io.casefeed.app.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.common.config.CommonConfig;
import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.schemas.TopicSpec;
import io.casefeed.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

class SetupCheckIT {

  @Test
  void reportsEachTopicThatIsMissingOrDiffersFromTheCatalogue() {
    String prefix = KafkaFixture.unique("check") + ".";
    List<NewTopic> topics = new ArrayList<>();
    for (TopicSpec spec : Topics.ALL) {
      if (spec == Topics.NOTIFICATIONS) {
        continue; // missing on purpose
      }
      NewTopic topic = spec.newTopic(spec.defaultPartitions(), (short) 1);
      if (spec == Topics.CASES) {
        topic.configs(Map.of("cleanup.policy", "delete")); // the latest state would be deleted after retention
      }
      if (spec == Topics.ACCOUNTS) {
        topic = new NewTopic(spec.name(), 2, (short) 1).configs(spec.topicConfigs());
      }
      topics.add(new NewTopic(prefix + topic.name(), topic.numPartitions(), (short) 1).configs(topic.configs()));
    }
    KafkaFixture.createTopics(topics);
    CommonConfig config = new CommonConfig(CommonConfig.define(new ConfigDef()), Map.of(
        CommonConfig.BOOTSTRAP_SERVERS, KafkaFixture.bootstrapServers(),
        CommonConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1",
        CommonConfig.TOPIC_REPLICATION_FACTOR, "1",
        CommonConfig.TOPIC_PREFIX, prefix));

    SetupCheck check = new SetupCheck(config).kafka(Topics.ALL).schemaRegistry();

    assertThat(check.allOk()).isFalse();
    List<String> failures = check.results().stream().filter(r -> !r.ok()).map(SetupCheck.Result::toString).toList();
    assertThat(failures).containsExactlyInAnyOrder(
        "FAIL  topic " + prefix + "casefeed.accounts: 2 partitions, expected 12 (the ceiling on collector instances)",
        "FAIL  topic " + prefix + "casefeed.cases: cleanup.policy is delete, expected compact",
        "FAIL  topic " + prefix + "casefeed.notifications: does not exist (create it, or start an app with topic.create=true)",
        failures.stream().filter(f -> f.startsWith("FAIL  schema registry: cannot reach http://127.0.0.1:1")).findFirst().orElse("registry failure missing"));
    assertThat(check.results().stream().filter(SetupCheck.Result::ok).map(SetupCheck.Result::subject))
        .contains("kafka", "topic " + prefix + "casefeed.case-changes", "topic " + prefix + "casefeed.dead-letter");
  }
}
