package io.casefeed.sink.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.localcloud.registry.SchemaRegistryServer;
import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseState;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.sink.S3Sink;
import io.casefeed.sink.config.SinkConfig;
import io.casefeed.sink.query.LocalQuery;
import io.casefeed.sink.store.S3ObjectStore;
import io.casefeed.sink.testing.Changes;
import io.casefeed.sink.testing.Feed;
import io.casefeed.sink.testing.LocalS3;
import io.casefeed.sink.testing.Registry;
import io.casefeed.sink.testing.SinkSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * casefeed.accounts to {@code <prefix>/accounts/accounts.parquet} through the real broker and the S3
 * stand-in: the file holds the compacted topic's latest record of each account (a rename replaces,
 * a tombstone removes), it is rewritten when the set changes while the sink runs, DuckDB reads it,
 * and the pivot views label each account "name (id)", or the id alone when no name is known.
 */
class AccountsTableIT {

  private static final String BUCKET = "accounts-it";
  private static final String KEY = "casefeed/accounts/accounts.parquet";

  @Test
  void theSinkWritesTheAccountsOfTheTopicAndTheViewsNameThem(@TempDir Path dir) throws Exception {
    try (LocalS3 s3 = LocalS3.start(BUCKET); SchemaRegistryServer registry = Registry.start(); S3Client client = s3.client()) {
      String prefix = KafkaFixture.unique("accounts") + ".";
      KafkaFixture.createTopics(prefix, List.of(Topics.ACCOUNTS, Topics.CASES), 3);
      String accountsTopic = prefix + Topics.ACCOUNTS.name();
      AvroSerde<AccountRecord> serde = new AvroSerde<>(AccountRecord.class, new HttpSchemaRegistryClient(registry.url()));
      Instant at = Instant.parse("2026-11-26T09:00:00Z");
      try (KafkaProducer<byte[], byte[]> producer = Feed.producer()) {
        send(producer, serde, accountsTopic, account("444444444401", "Payments old name", at));
        send(producer, serde, accountsTopic, account("444444444401", "Payments", at.plusSeconds(60)));
        send(producer, serde, accountsTopic, account("444444444402", null, at));
        send(producer, serde, accountsTopic, account("444444444403", "Closed account", at));
        producer.send(new ProducerRecord<>(accountsTopic, key("444444444403"), null)).get();
      }
      // Cases in a named account, an account without a name and one the accounts topic does not know.
      List<CaseState> states = new ArrayList<>();
      for (int n = 1; n <= 9; n++) {
        states.add(Changes.state(Changes.details("44444444440" + (1 + n % 3), n, "Case " + n), at));
      }
      states.add(Changes.state(Changes.details("444444444409", 10, "Case 10"), at));
      Feed.sendStates(registry.url(), prefix + Topics.CASES.name(), states, List.of());

      Map<String, String> settings = SinkSettings.of(prefix, s3.endpoint(), BUCKET, registry.url());
      settings.put("history.enabled", "false");
      settings.put("accounts.debounce.ms", "200");
      SinkConfig config = new SinkConfig(settings);
      LocalQuery query = new LocalQuery(new S3ObjectStore(client, BUCKET, config.retryPolicy(), Long.MAX_VALUE, Integer.MAX_VALUE,
          new SimpleMeterRegistry()), "casefeed", dir.resolve("cache"));
      try (S3Sink sink = S3Sink.create(config, Clock.systemUTC(), new SimpleMeterRegistry()).start()) {
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.lastAccountsWritten() >= 0 && sink.lastSnapshotFolder() != null);
        assertThat(sink.lastAccountsWritten()).isEqualTo(2);
        assertThat(readWithDuckDb(client, dir.resolve("first.parquet"))).containsExactly(
            List.of("444444444401", "Payments", "ACTIVE", "organizations:999999999999", at.plusSeconds(60).toString()),
            Arrays.asList("444444444402", null, "ACTIVE", "organizations:999999999999", at.toString()));

        query.sync();
        assertThat(accountLabels(query)).isEqualTo(Map.of(
            "444444444401", "Payments (444444444401)|Payments",
            "444444444402", "444444444402|null",
            "444444444403", "444444444403|null",
            "444444444409", "444444444409|null"));

        // A name learnt while the sink runs reaches the file and the views.
        try (KafkaProducer<byte[], byte[]> producer = Feed.producer()) {
          send(producer, serde, accountsTopic, account("444444444402", "Data platform", at.plusSeconds(120)));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          query.sync();
          assertThat(accountLabels(query)).containsEntry("444444444402", "Data platform (444444444402)|Data platform");
        });
        assertThat(sink.lastAccountsWritten()).isEqualTo(2);
      }
      Map<String, Long> casesByAccount = new TreeMap<>();
      for (List<Object> row : query.run("SELECT account, sum(cases) FROM case_counts GROUP BY 1").rows()) {
        casesByAccount.put((String) row.get(0), ((Number) row.get(1)).longValue());
      }
      assertThat(casesByAccount).isEqualTo(Map.of("Payments (444444444401)", 3L, "Data platform (444444444402)", 3L,
          "444444444403", 3L, "444444444409", 1L));
    }
  }

  /**
   * The accounts writer waits a whole debounce between looks for a casefeed.accounts that no
   * collector has made yet. Closing the sink ends that wait: before, close() gave up joining the
   * thread after 30 s and left it sleeping (and the sink benchmark's figure carried up to 5 s of it).
   */
  @Test
  void closingTheSinkEndsTheAccountsWritersWaitForAMissingTopic() throws Exception {
    try (LocalS3 s3 = LocalS3.start(BUCKET + "-missing"); SchemaRegistryServer registry = Registry.start()) {
      String prefix = KafkaFixture.unique("accounts-missing") + ".";
      Map<String, String> settings = SinkSettings.of(prefix, s3.endpoint(), BUCKET + "-missing", registry.url());
      settings.put("history.enabled", "false");
      settings.put("snapshot.enabled", "false");
      settings.put("accounts.debounce.ms", Long.toString(Duration.ofMinutes(10).toMillis()));
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      List<Thread> before = accountsThreads();
      List<Thread> started;
      try (S3Sink sink = S3Sink.create(new SinkConfig(settings), Clock.systemUTC(), meters).start()) {
        await().atMost(Duration.ofSeconds(60)).until(() -> meters.find("casefeed.sink.accounts.topic.missing").gauge() != null
            && meters.get("casefeed.sink.accounts.topic.missing").gauge().value() == 1.0);
        started = new ArrayList<>(accountsThreads());
        started.removeAll(before);
        assertThat(started).hasSize(1);
        assertThat(sink.failure()).isNotDone();
      }
      assertThat(started.get(0).isAlive()).as("the accounts writer's thread after close").isFalse();
    }
  }

  private static List<Thread> accountsThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("sink-accounts") && t.isAlive()).toList();
  }

  /** Each account id in case_counts_by_account_status with its "account|account_name". */
  private static Map<String, String> accountLabels(LocalQuery query) throws Exception {
    Map<String, String> labels = new TreeMap<>();
    for (List<Object> row : query.run("SELECT DISTINCT account_id, account, account_name FROM case_counts_by_account_status").rows()) {
      labels.put((String) row.get(0), row.get(1) + "|" + row.get(2));
    }
    return labels;
  }

  /** The object as DuckDB reads it on its own, without casefeed's views. */
  private static List<List<String>> readWithDuckDb(S3Client client, Path file) throws Exception {
    Files.write(file, client.getObjectAsBytes(b -> b.bucket(BUCKET).key(KEY)).asByteArray());
    List<List<String>> rows = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = connection.createStatement()) {
      statement.execute("SET TimeZone = 'UTC'");
      try (ResultSet results = statement.executeQuery("SELECT account_id, account_name, account_status, sources, "
          + "strftime(updated_at, '%Y-%m-%dT%H:%M:%SZ') FROM read_parquet('" + file.toString().replace("'", "''") + "') ORDER BY 1")) {
        while (results.next()) {
          rows.add(Arrays.asList(results.getString(1), results.getString(2), results.getString(3), results.getString(4),
              results.getString(5)));
        }
      }
    }
    return rows;
  }

  private static AccountRecord account(String id, String name, Instant updatedAt) {
    return AccountRecord.newBuilder().setAccountId(id).setName(name).setStatus("ACTIVE")
        .setSources(List.of("organizations:999999999999")).setUpdatedAt(updatedAt).build();
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, AvroSerde<AccountRecord> serde, String topic,
      AccountRecord account) throws Exception {
    producer.send(new ProducerRecord<>(topic, key(account.getAccountId()), serde.serialize(topic, account))).get();
  }

  private static byte[] key(String accountId) {
    return accountId.getBytes(StandardCharsets.UTF_8);
  }
}
