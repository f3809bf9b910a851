package io.casefeed.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.collector.accounts.AccountResolver;
import io.casefeed.collector.accounts.AccountSetPublisher;
import io.casefeed.collector.accounts.AccountSource;
import io.casefeed.collector.accounts.ResolvedAccount;
import io.casefeed.collector.accounts.StaticAccountSource;
import io.casefeed.collector.metrics.CollectorMetrics;
import io.casefeed.collector.publish.CompactedTopicReader;
import io.casefeed.collector.publish.KafkaPublisher;
import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.InMemorySchemaRegistryClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The owner of partition 0 publishes the account set: new and changed accounts, tombstones for removed ones. */
class AccountSetPublisherIT {

  @Test
  void removedAccountsGetATombstoneUnlessASourceCouldNotBeRead() throws Exception {
    String prefix = KafkaFixture.unique("accounts") + ".";
    String topic = KafkaFixture.createTopics(prefix, List.of(Topics.ACCOUNTS), 3).get(0);
    Map<String, Object> kafka = Map.of("bootstrap.servers", KafkaFixture.bootstrapServers());
    List<String> listed = new ArrayList<>(List.of("111111111111", "222222222222", "333333333333"));
    boolean[] bucketReadable = {true};
    AccountSource file = new AccountSource() {
      @Override public String name() { return "s3-file"; }
      @Override public List<ResolvedAccount> accounts() {
        if (!bucketReadable[0]) {
          throw new IllegalStateException("AccessDenied on the bucket");
        }
        return listed.stream().map(id -> new ResolvedAccount(id, null, null, List.of(name()))).toList();
      }
    };
    AccountResolver resolver = new AccountResolver(List.of(file, new StaticAccountSource(List.of("444444444444"))), Set.of(), Set.of());

    try (KafkaPublisher publisher = new KafkaPublisher(kafka, "accounts-it", new KafkaPublisher.Topics("unused", "unused", topic, "unused"),
        new InMemorySchemaRegistryClient(), true, new CollectorMetrics(new SimpleMeterRegistry()))) {
      AccountSetPublisher accounts = new AccountSetPublisher(resolver, publisher, kafka, topic, id -> "arn:aws:iam::" + id + ":role/R",
          Clock.systemUTC());

      assertThat(accounts.publish()).isEqualTo(new AccountSetPublisher.Changes(4, 0, 0, true));
      assertThat(CompactedTopicReader.readAll(kafka, topic, Duration.ofSeconds(30)))
          .containsOnlyKeys("111111111111", "222222222222", "333333333333", "444444444444");

      // Nothing changed: nothing is written again.
      assertThat(accounts.publish()).isEqualTo(new AccountSetPublisher.Changes(0, 0, 4, true));

      listed.remove("222222222222");
      assertThat(accounts.publish()).isEqualTo(new AccountSetPublisher.Changes(0, 1, 3, true));
      assertThat(CompactedTopicReader.readAll(kafka, topic, Duration.ofSeconds(30)))
          .containsOnlyKeys("111111111111", "333333333333", "444444444444");

      // The file cannot be read: its accounts are kept, not tombstoned.
      bucketReadable[0] = false;
      assertThat(accounts.publish()).isEqualTo(new AccountSetPublisher.Changes(0, 0, 1, false));
      assertThat(CompactedTopicReader.readAll(kafka, topic, Duration.ofSeconds(30)))
          .containsOnlyKeys("111111111111", "333333333333", "444444444444");
    }
  }
}
