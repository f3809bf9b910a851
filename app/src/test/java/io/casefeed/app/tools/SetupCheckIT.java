package io.casefeed.app.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.common.config.CommonConfig;
import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.schemas.TopicSpec;
import io.casefeed.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.time.Instant;
import java.util.HashMap;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
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

  @Test
  void reportsPerFollowedAccountTheTimeOfTheLastEventSeen() throws Exception {
    String prefix = KafkaFixture.unique("check-last") + ".";
    KafkaFixture.createTopics(prefix, List.of(Topics.ACCOUNTS, Topics.SUPPORT_EVENTS), 3);
    String quiet = "111111111111";
    String busy = "222222222222";
    String other = "333333333333";
    String removed = "444444444444";
    Instant base = Instant.parse("2026-01-05T09:00:00Z");
    // Ground truth: the latest timestamp per account among the events written, whatever their order.
    Map<String, Instant> latest = new TreeMap<>();
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (String account : List.of(quiet, busy, other, removed)) {
      records.add(new ProducerRecord<>(prefix + Topics.ACCOUNTS.name(), null, base.toEpochMilli(), account, new byte[] {1}));
    }
    records.add(new ProducerRecord<>(prefix + Topics.ACCOUNTS.name(), removed, null));
    long[] offsetsSeconds = {40, 5, 90, 12, 61};
    for (int i = 0; i < offsetsSeconds.length; i++) {
      String account = i % 2 == 0 ? busy : other;
      Instant at = base.plusSeconds(offsetsSeconds[i]).plusMillis(i * 7L);
      latest.merge(account, at, (a, b) -> a.isAfter(b) ? a : b);
      records.add(new ProducerRecord<>(prefix + Topics.SUPPORT_EVENTS.name(), null, at.toEpochMilli(), account, new byte[] {2}));
    }
    Instant removedAt = base.plusSeconds(3);
    records.add(new ProducerRecord<>(prefix + Topics.SUPPORT_EVENTS.name(), null, removedAt.toEpochMilli(), removed, new byte[] {2}));
    Map<String, Object> producerSettings = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers()));
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerSettings, new StringSerializer(), new ByteArraySerializer())) {
      for (ProducerRecord<String, byte[]> record : records) {
        producer.send(record).get();
      }
    }
    CommonConfig config = new CommonConfig(CommonConfig.define(new ConfigDef()), Map.of(
        CommonConfig.BOOTSTRAP_SERVERS, KafkaFixture.bootstrapServers(),
        CommonConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1",
        CommonConfig.TOPIC_PREFIX, prefix));

    SetupCheck check = new SetupCheck(config).lastEvents();

    assertThat(check.allOk()).isTrue();
    assertThat(check.results().stream().map(SetupCheck.Result::toString).toList()).containsExactly(
        "ok    last event " + quiet + ": none seen",
        "ok    last event " + busy + ": " + latest.get(busy),
        "ok    last event " + other + ": " + latest.get(other),
        "ok    last event " + removed + ": " + removedAt + " (account no longer followed)");
    assertThat(latest.get(busy).toString()).endsWith("Z");
  }
}
