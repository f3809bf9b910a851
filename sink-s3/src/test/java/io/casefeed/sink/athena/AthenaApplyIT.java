package io.casefeed.sink.athena;

import io.casefeed.common.aws.AwsSettings;
import io.casefeed.common.testing.ExternalProgram;
import org.apache.kafka.common.config.types.Password;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.casefeed.common.retry.Backoff;
import io.casefeed.common.time.Sleeper;
import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.localcloud.LocalCloud;
import io.casefeed.localcloud.LocalCloudOptions;
import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseState;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.schemas.table.CaseListCsv;
import io.casefeed.sink.S3Sink;
import io.casefeed.sink.cli.AthenaDdlCommandAccess;
import io.casefeed.sink.config.SinkConfig;
import io.casefeed.sink.store.S3Clients;
import io.casefeed.sink.testing.Changes;
import io.casefeed.sink.testing.Feed;
import io.casefeed.sink.testing.History;
import io.casefeed.sink.testing.SinkSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The sink writes case_list.csv and the Parquet history for a few cases into local-cloud's S3;
 * {@code athena-ddl --apply} runs the generated DDL in local-cloud's Athena, twice; then SELECTs
 * through the Athena SDK (and the pivot through the AWS CLI) return those cases, and the seed's pivot
 * view counts them by account and status as the cases sent say, each account labelled with its name
 * from casefeed.accounts ("name (id)", the id alone for an account without a name).
 */
class AthenaApplyIT {

  private static final String BUCKET = "athena-apply-it";
  private static final String DATABASE = "casefeed_it";

  @TempDir
  static Path dir;
  static LocalCloud cloud;
  static AthenaClient athena;
  static Path config;
  static List<CaseState> states = new ArrayList<>();
  static List<CaseChange> changes;
  /** The accounts' names as casefeed.accounts has them; 444444444402 has none. */
  static final Map<String, String> NAMES = Map.of("444444444401", "Payments");

  @BeforeAll
  static void writeWithTheSink() throws Exception {
    cloud = LocalCloud.start(LocalCloudOptions.builder().dataDir(dir.resolve("local-cloud")).accounts(2).build());
    cloud.simulation().pause();
    athena = AthenaClients.create(new AwsSettings("us-east-1", cloud.awsEndpoint(), Map.of(), Map.of(), cloud.accessKeyId(),
        new Password(cloud.secretAccessKey()), false), Duration.ofSeconds(10));
    try (S3Client s3 = S3Clients.create(cloud.s3Endpoint(), "us-east-1", true, cloud.accessKeyId(), cloud.secretAccessKey(),
        Duration.ofSeconds(10))) {
      s3.createBucket(b -> b.bucket(BUCKET));
    }
    String prefix = KafkaFixture.unique("athena") + ".";
    KafkaFixture.createTopics(prefix, List.of(Topics.ACCOUNTS, Topics.CASES, Topics.CASE_CHANGES, Topics.DEAD_LETTER), 2);
    AvroSerde<AccountRecord> accountSerde = new AvroSerde<>(AccountRecord.class, new HttpSchemaRegistryClient(cloud.schemaRegistryUrl()));
    try (KafkaProducer<byte[], byte[]> producer = Feed.producer()) {
      for (String id : List.of("444444444401", "444444444402")) {
        AccountRecord account = AccountRecord.newBuilder().setAccountId(id).setName(NAMES.get(id)).setStatus("ACTIVE")
            .setSources(List.of("static")).setUpdatedAt(Instant.parse("2026-11-26T08:00:00Z")).build();
        String topic = prefix + Topics.ACCOUNTS.name();
        producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), accountSerde.serialize(topic, account))).get();
      }
    }
    Instant at = Instant.parse("2026-11-26T09:00:00Z");
    for (int n = 1; n <= 9; n++) {
      CaseDetails details = Changes.details("44444444440" + (n % 2 + 1), n, "Case " + n + ", \"quoted\"");
      states.add(Changes.state(details, at));
    }
    Feed.sendStates(cloud.schemaRegistryUrl(), prefix + Topics.CASES.name(), states, List.of());
    changes = Feed.sendChanges(cloud.schemaRegistryUrl(), prefix + Topics.CASE_CHANGES.name(), 12,
        Instant.parse("2026-11-25T23:00:00Z"), Duration.ofMinutes(10));

    Map<String, String> settings = SinkSettings.of(prefix, cloud.s3Endpoint(), BUCKET, cloud.schemaRegistryUrl());
    settings.put("aws.access.key.id", cloud.accessKeyId());
    settings.put("aws.secret.access.key", cloud.secretAccessKey());
    try (S3Sink sink = S3Sink.create(new SinkConfig(settings), Clock.systemUTC(), new SimpleMeterRegistry()).start();
        S3Client s3 = S3Clients.create(cloud.s3Endpoint(), "us-east-1", true, cloud.accessKeyId(), cloud.secretAccessKey(),
            Duration.ofSeconds(10))) {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> sink.lastSnapshotFolder() != null
          && sink.lastAccountsWritten() == 2 && History.ranges(s3, BUCKET, "casefeed").stream().mapToLong(r -> r.end() - r.start() + 1).sum() >= changes.size());
    }

    settings.put(SinkConfig.ATHENA_ENDPOINT, cloud.awsEndpoint().toString());
    settings.put(SinkConfig.ATHENA_OUTPUT_LOCATION, "s3://" + BUCKET + "/athena-results/");
    settings.put(SinkConfig.ATHENA_POLL_INITIAL_BACKOFF_MS, "10");
    config = dir.resolve("sink.properties");
    Properties properties = new Properties();
    properties.putAll(settings);
    try (Writer writer = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
      properties.store(writer, "AthenaApplyIT");
    }
  }

  @AfterAll
  static void stop() {
    if (athena != null) {
      athena.close();
    }
    if (cloud != null) {
      cloud.close();
    }
  }

  @Test
  void applyCreatesEverythingTwiceInARowThenTheTablesAndThePivotAnswerWithTheSinksCases() throws Exception {
    int statements = AthenaDdl.statements(AthenaDdl.render(BUCKET, "casefeed", DATABASE, java.time.LocalDate.parse("2026-01-01"))).size();
    for (int round = 1; round <= 2; round++) {
      AthenaDdlCommandAccess.Output output = AthenaDdlCommandAccess.run("--config", config.toString(), "--database", DATABASE,
          "--first-day", "2026-01-01", "--apply");
      assertThat(output.exitCode()).as("round %d: %s", round, output.err()).isZero();
      assertThat(output.out()).contains("SUCCEEDED  1/" + statements + " CREATE DATABASE IF NOT EXISTS " + DATABASE)
          .contains("CREATE EXTERNAL TABLE IF NOT EXISTS " + DATABASE + ".case_list")
          .contains("CREATE OR REPLACE VIEW " + DATABASE + ".case_counts_by_account_status AS")
          .contains("applied " + statements + " statements");
    }

    // The seed's table: every column a string, the seed's names, the sink's values.
    Result list = query("SELECT case_id, status, severity, service, subject, createdtime, case_owner, account_id, version"
        + " FROM case_list ORDER BY case_id");
    assertThat(list.columns()).containsExactly("case_id", "status", "severity", "service", "subject", "createdtime", "case_owner",
        "account_id", "version");
    assertThat(list.types()).containsOnly("varchar");
    List<List<String>> expected = states.stream().map(s -> {
      CaseDetails d = s.getCaseDetails();
      return List.of(d.getDisplayId(), d.getStatus(), d.getSeverityCode(), d.getServiceCode(), d.getSubject(), d.getTimeCreated(),
          d.getSubmittedBy(), s.getAccountId(), Long.toString(s.getVersion()));
    }).sorted((a, b) -> a.get(0).compareTo(b.get(0))).toList();
    assertThat(list.rows()).isEqualTo(expected);

    // The seed's pivot: counts by account (with its name) and status, as the cases sent say.
    Map<String, Long> truth = new TreeMap<>(states.stream().collect(Collectors.groupingBy(
        s -> accountLabel(s.getAccountId()) + "/" + s.getCaseDetails().getStatus(), Collectors.counting())));
    assertThat(truth.keySet()).anyMatch(k -> k.startsWith("Payments (444444444401)/")).anyMatch(k -> k.startsWith("444444444402/"));
    Result pivot = query("SELECT account, status, cases FROM case_counts_by_account_status");
    assertThat(pivot.types()).containsExactly("varchar", "varchar", "bigint");
    assertThat(new TreeMap<>(pivot.rows().stream().collect(Collectors.toMap(r -> r.get(0) + "/" + r.get(1),
        r -> Long.parseLong(r.get(2)))))).isEqualTo(truth);

    // The same pivot through a client casefeed did not write: the AWS CLI (botocore).
    assertThat(awsCliPivot()).isEqualTo(truth);

    // The typed Parquet snapshot and the partitioned Parquet history.
    Result parquet = query("SELECT count(*) AS cases, count(DISTINCT account_id) AS accounts, min(created_at) AS first FROM case_list_parquet");
    assertThat(parquet.types()).containsExactly("bigint", "bigint", "timestamp");
    String firstCreated = states.stream().map(s -> s.getCaseDetails().getTimeCreatedAt()).min(Instant::compareTo).orElseThrow()
        .toString().replace('T', ' ').replace("Z", "");
    assertThat(parquet.rows()).containsExactly(List.of(Integer.toString(states.size()), "2", firstCreated));
    Result history = query("SELECT dt, count(*) AS changes, count(DISTINCT event_id) AS events FROM case_changes"
        + " WHERE dt >= '2026-11-01' GROUP BY dt ORDER BY dt");
    Map<String, Long> perDay = new TreeMap<>(changes.stream().collect(Collectors.groupingBy(
        c -> c.getObservedAt().toString().substring(0, 10), Collectors.counting())));
    assertThat(history.rows()).isEqualTo(perDay.entrySet().stream()
        .map(e -> List.of(e.getKey(), e.getValue().toString(), e.getValue().toString())).toList());
  }

  @Test
  void aStatementAthenaRefusesStopsTheRunNamingItAndAthenasReason() throws Exception {
    AthenaDdlRunner runner = new AthenaDdlRunner(athena, "primary", null, Backoff.fullJitter(2, Duration.ofMillis(10),
        Duration.ofMillis(10)), new Backoff(200, Duration.ofMillis(10), Duration.ofMillis(100), Backoff.Jitter.NONE), Sleeper.SYSTEM);
    List<String> done = new ArrayList<>();
    assertThatThrownBy(() -> runner.apply(List.of("CREATE DATABASE IF NOT EXISTS refused",
        "CREATE EXTERNAL TABLE refused.logs (line string)\nSTORED AS ORC LOCATION 's3://" + BUCKET + "/logs/'",
        "CREATE OR REPLACE VIEW refused.never AS SELECT 1 AS one"), o -> done.add(o.summary())))
        .isInstanceOfSatisfying(AthenaDdlRunner.StatementFailedException.class, e -> {
          assertThat(e.number()).isEqualTo(2);
          assertThat(e.getMessage()).contains("statement 2 (CREATE EXTERNAL TABLE refused.logs (line string)) FAILED")
              .contains("STORED AS ORC is not supported");
        });
    assertThat(done).containsExactly("CREATE DATABASE IF NOT EXISTS refused");
  }

  /**
   * Schema evolution: a history object written before a field was added (here: without {@code language})
   * and the sink's own objects, which have it, are read through the same table; the old rows read NULL.
   */
  @Test
  void parquetWrittenBeforeAndAfterAnAddedOptionalFieldIsReadThroughTheSameTable() throws Exception {
    AthenaDdlRunner runner = new AthenaDdlRunner(athena, "primary", "s3://" + BUCKET + "/athena-results/",
        Backoff.fullJitter(2, Duration.ofMillis(10), Duration.ofMillis(10)),
        new Backoff(200, Duration.ofMillis(10), Duration.ofMillis(100), Backoff.Jitter.NONE), Sleeper.SYSTEM);
    runner.apply(AthenaDdl.statements(AthenaDdl.render(BUCKET, "casefeed", DATABASE, java.time.LocalDate.parse("2026-01-01"))), o -> { });
    Path current = dir.resolve("current.parquet");
    Path older = dir.resolve("older.parquet");
    try (S3Client s3 = S3Clients.create(cloud.s3Endpoint(), "us-east-1", true, cloud.accessKeyId(), cloud.secretAccessKey(),
        Duration.ofSeconds(10))) {
      String key = History.ranges(s3, BUCKET, "casefeed").get(0).key();
      Files.write(current, s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray());
      try (java.sql.Connection duck = java.sql.DriverManager.getConnection("jdbc:duckdb:");
          java.sql.Statement statement = duck.createStatement()) {
        statement.execute("COPY (SELECT * EXCLUDE (language) FROM read_parquet('" + current + "')) TO '" + older + "' (FORMAT parquet)");
      }
      s3.putObject(b -> b.bucket(BUCKET).key("casefeed/case_changes/dt=2026-06-01/older-schema.parquet"),
          software.amazon.awssdk.core.sync.RequestBody.fromFile(older));
    }

    Result oldRows = query("SELECT count(*) AS rows, count(language) AS languages FROM case_changes WHERE dt = '2026-06-01'");
    Result newRows = query("SELECT count(*) AS rows, count(language) AS languages FROM case_changes WHERE dt >= '2026-11-01'");

    assertThat(Long.parseLong(oldRows.rows().get(0).get(0))).isPositive();
    assertThat(oldRows.rows().get(0).get(1)).isEqualTo("0");
    assertThat(newRows.rows()).containsExactly(List.of(Integer.toString(changes.size()), Integer.toString(changes.size())));
  }

  /** The pivot's row label of an account: "name (id)", or the id when casefeed.accounts gives no name. */
  static String accountLabel(String accountId) {
    String name = NAMES.get(accountId);
    return name == null ? accountId : name + " (" + accountId + ")";
  }

  /** {@code aws athena start-query-execution}, then {@code get-query-results} once it finished: cells "account/status" to count. */
  static Map<String, Long> awsCliPivot() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    String id = json.readTree(awsCli("athena", "start-query-execution", "--query-string",
        "SELECT account, status, cases FROM case_counts_by_account_status", "--query-execution-context", "Database=" + DATABASE,
        "--result-configuration", "OutputLocation=s3://" + BUCKET + "/athena-results/")).path("QueryExecutionId").asText();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> json.readTree(awsCli("athena",
        "get-query-execution", "--query-execution-id", id)).path("QueryExecution").path("Status").path("State").asText(),
        state -> state.equals("SUCCEEDED"));
    com.fasterxml.jackson.databind.JsonNode rows = json.readTree(awsCli("athena", "get-query-results", "--query-execution-id", id))
        .path("ResultSet").path("Rows");
    Map<String, Long> cells = new TreeMap<>();
    for (int i = 1; i < rows.size(); i++) {
      com.fasterxml.jackson.databind.JsonNode data = rows.get(i).path("Data");
      cells.put(data.get(0).path("VarCharValue").asText() + "/" + data.get(1).path("VarCharValue").asText(),
          Long.parseLong(data.get(2).path("VarCharValue").asText()));
    }
    return cells;
  }

  private static String awsCli(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ExternalProgram.AWS_CLI));
    command.addAll(List.of(args));
    command.addAll(List.of("--endpoint-url", cloud.awsEndpoint().toString(), "--output", "json"));
    return ExternalProgram.run(dir, Map.of("AWS_ACCESS_KEY_ID", cloud.accessKeyId(), "AWS_SECRET_ACCESS_KEY", cloud.secretAccessKey()),
        command);
  }

  record Result(List<String> columns, List<String> types, List<List<String>> rows) {}

  static Result query(String sql) {
    String id = athena.startQueryExecution(r -> r.queryString(sql).queryExecutionContext(c -> c.database(DATABASE))
        .resultConfiguration(c -> c.outputLocation("s3://" + BUCKET + "/athena-results/"))).queryExecutionId();
    QueryExecution execution = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .until(() -> athena.getQueryExecution(r -> r.queryExecutionId(id)).queryExecution(),
            q -> q.status().state() == QueryExecutionState.SUCCEEDED || q.status().state() == QueryExecutionState.FAILED);
    assertThat(execution.status().state()).as("%s: %s", sql, execution.status().stateChangeReason())
        .isEqualTo(QueryExecutionState.SUCCEEDED);
    List<List<String>> rows = new ArrayList<>();
    List<ColumnInfo> columns = new ArrayList<>();
    athena.getQueryResultsPaginator(r -> r.queryExecutionId(id)).forEach(page -> {
      if (columns.isEmpty()) {
        columns.addAll(page.resultSet().resultSetMetadata().columnInfo());
      }
      page.resultSet().rows().forEach(row -> rows.add(row.data().stream().map(Datum::varCharValue).toList()));
    });
    assertThat(rows.get(0)).as("the header row").isEqualTo(columns.stream().map(ColumnInfo::name).toList());
    return new Result(columns.stream().map(ColumnInfo::name).toList(), columns.stream().map(ColumnInfo::type).toList(),
        rows.subList(1, rows.size()));
  }
}
