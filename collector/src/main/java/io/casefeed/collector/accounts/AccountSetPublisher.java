package io.casefeed.collector.accounts;

import io.casefeed.collector.publish.CompactedTopicReader;
import io.casefeed.collector.publish.KafkaPublisher;
import io.casefeed.schema.AccountRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the resolved account set to casefeed.accounts: a record for each new or changed account
 * and a tombstone for each account no source names any more. Only the owner of partition 0 calls
 * it; when a source could not be read, nothing is removed.
 */
public final class AccountSetPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(AccountSetPublisher.class);

  /** What one publication changed. */
  public record Changes(int upserted, int removed, int unchanged, boolean complete) {}

  private final AccountResolver resolver;
  private final KafkaPublisher publisher;
  private final Map<String, Object> kafkaSettings;
  private final String topic;
  private final Function<String, String> roleArnOf;
  private final Clock clock;

  public AccountSetPublisher(AccountResolver resolver, KafkaPublisher publisher, Map<String, Object> kafkaSettings,
      String topic, Function<String, String> roleArnOf, Clock clock) {
    this.resolver = resolver;
    this.publisher = publisher;
    this.kafkaSettings = kafkaSettings;
    this.topic = topic;
    this.roleArnOf = roleArnOf;
    this.clock = clock;
  }

  public Changes publish() throws Exception {
    AccountResolver.Resolution resolution = resolver.resolve();
    Map<String, AccountRecord> current = new HashMap<>();
    CompactedTopicReader.readAll(kafkaSettings, topic, Duration.ofSeconds(60)).forEach((id, bytes) -> {
      try {
        current.put(id, publisher.accountSerde().deserialize(topic, bytes));
      } catch (RuntimeException e) {
        LOG.warn("unreadable record for account {} in {} is replaced: {}", id, topic, e.toString());
      }
    });
    List<CompletableFuture<Void>> sends = new ArrayList<>();
    int unchanged = 0;
    for (ResolvedAccount account : resolution.accounts()) {
      AccountRecord record = AccountRecord.newBuilder()
          .setAccountId(account.accountId()).setName(account.name()).setStatus(account.status())
          .setSources(account.sources()).setRoleArn(roleArnOf.apply(account.accountId())).setUpdatedAt(clock.instant())
          .build();
      if (sameAccount(current.get(account.accountId()), record)) {
        unchanged++;
      } else {
        sends.add(publisher.account(record));
      }
    }
    int upserted = sends.size();
    int removed = 0;
    if (resolution.complete()) {
      var resolvedIds = resolution.accounts().stream().map(ResolvedAccount::accountId).toList();
      for (String id : current.keySet()) {
        if (!resolvedIds.contains(id)) {
          sends.add(publisher.removeAccount(id));
          removed++;
        }
      }
    }
    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get();
    if (upserted > 0 || removed > 0) {
      LOG.info("account set published: {} new or changed, {} removed, {} unchanged{}", upserted, removed, unchanged,
          resolution.complete() ? "" : " (sources not read: " + resolution.failedSources() + ")");
    }
    return new Changes(upserted, removed, unchanged, resolution.complete());
  }

  private static boolean sameAccount(AccountRecord a, AccountRecord b) {
    return a != null
        && Objects.equals(a.getName(), b.getName()) && Objects.equals(a.getStatus(), b.getStatus())
        && Objects.equals(a.getSources(), b.getSources()) && Objects.equals(a.getRoleArn(), b.getRoleArn());
  }
}
