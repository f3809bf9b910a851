package io.casefeed.localcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.common.testing.ExternalProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.Row;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The Athena stand-in through the real SDK v2 Athena client and the AWS CLI: Hive DDL over objects
 * put through the S3 API, queries polled until they finish, results paged as Athena pages them.
 */
class AthenaIT {

  @TempDir
  static Path dataDir;
  static LocalCloud cloud;
  static AthenaClient athena;

  @BeforeAll
  static void start() throws Exception {
    cloud = LocalCloud.start(LocalCloudOptions.builder().dataDir(dataDir.resolve("data")).accounts(2).build());
    cloud.simulation().pause();
    athena = AthenaClient.builder().endpointOverride(cloud.awsEndpoint()).region(Region.EU_WEST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsClients.management(cloud)))
        .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
    Path parquet = dataDir.resolve("orders.parquet");
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = duck.createStatement()) {
      statement.execute("COPY (SELECT * FROM (VALUES (1::BIGINT, 'open', 2.5::DOUBLE), (2, 'closed', 4.0), (3, 'open', 1.0))"
          + " AS t(id, status, amount)) TO '" + parquet + "' (FORMAT parquet)");
    }
    try (S3Client s3 = AwsClients.s3(cloud)) {
      s3.createBucket(r -> r.bucket("athena-it"));
      s3.putObject(r -> r.bucket("athena-it").key("csv/people.csv"),
          RequestBody.fromString("name,team\n\"Doe, Jane\",red\nRoe,\n"));
      s3.putObject(r -> r.bucket("athena-it").key("orders/dt=2026-12-01/orders.parquet"), RequestBody.fromFile(parquet));
    }
    for (String ddl : List.of(
        "CREATE DATABASE IF NOT EXISTS shop",
        "CREATE EXTERNAL TABLE IF NOT EXISTS shop.people (`name` string, `team` string)"
            + " ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde' WITH SERDEPROPERTIES ('separatorChar' = ',')"
            + " STORED AS TEXTFILE LOCATION 's3://athena-it/csv/' TBLPROPERTIES ('skip.header.line.count' = '1')",
        "CREATE EXTERNAL TABLE IF NOT EXISTS shop.orders (`id` bigint, `status` string, `amount` double)"
            + " PARTITIONED BY (dt string) STORED AS PARQUET LOCATION 's3://athena-it/orders/'"
            + " TBLPROPERTIES ('projection.enabled' = 'true', 'storage.location.template' = 's3://athena-it/orders/dt=${dt}/')",
        "CREATE OR REPLACE VIEW shop.open_orders AS SELECT status, count(*) AS orders, sum(amount) AS amount FROM orders GROUP BY status")) {
      assertThat(finish(start(ddl)).status().state()).as(ddl).isEqualTo(QueryExecutionState.SUCCEEDED);
    }
  }

  @AfterAll
  static void stop() {
    athena.close();
    cloud.close();
  }

  static String start(String sql) {
    return athena.startQueryExecution(r -> r.queryString(sql).workGroup("primary")
        .queryExecutionContext(c -> c.database("shop")).resultConfiguration(c -> c.outputLocation("s3://athena-it/results/")))
        .queryExecutionId();
  }

  static QueryExecution finish(String id) {
    return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .until(() -> athena.getQueryExecution(r -> r.queryExecutionId(id)).queryExecution(),
            q -> q.status().state() == QueryExecutionState.SUCCEEDED || q.status().state() == QueryExecutionState.FAILED);
  }

  static List<List<String>> values(List<Row> rows) {
    return rows.stream().map(row -> row.data().stream().map(Datum::varCharValue).toList()).toList();
  }

  @Test
  void selectReturnsTheHeaderRowThenTheValuesWithAthenaTypes() {
    String id = start("SELECT status, orders, amount FROM open_orders ORDER BY status");
    QueryExecution execution = finish(id);
    assertThat(execution.status().state()).isEqualTo(QueryExecutionState.SUCCEEDED);
    assertThat(execution.statementTypeAsString()).isEqualTo("DML");
    assertThat(execution.resultConfiguration().outputLocation()).isEqualTo("s3://athena-it/results/" + id + ".csv");
    assertThat(execution.status().completionDateTime()).isAfterOrEqualTo(execution.status().submissionDateTime());

    GetQueryResultsResponse results = athena.getQueryResults(r -> r.queryExecutionId(id));
    assertThat(values(results.resultSet().rows())).containsExactly(
        List.of("status", "orders", "amount"), List.of("closed", "1", "4.0"), List.of("open", "2", "3.5"));
    assertThat(results.resultSet().resultSetMetadata().columnInfo()).extracting(ColumnInfo::type)
        .containsExactly("varchar", "bigint", "double");
    assertThat(results.nextToken()).isNull();
  }

  @Test
  void openCsvSerdeValuesAreStringsAndAnEmptyFieldIsAnEmptyString() {
    String id = start("SELECT name, team, team = '' AS empty_team FROM people ORDER BY name");
    assertThat(finish(id).status().state()).isEqualTo(QueryExecutionState.SUCCEEDED);
    assertThat(values(athena.getQueryResults(r -> r.queryExecutionId(id)).resultSet().rows())).containsExactly(
        List.of("name", "team", "empty_team"), List.of("Doe, Jane", "red", "false"), List.of("Roe", "", "true"));
  }

  @Test
  void resultsArePagedWithNextTokenAndTheSdkPaginatorReadsThemAll() {
    String id = start("SELECT id, dt FROM orders ORDER BY id");
    finish(id);
    GetQueryResultsResponse first = athena.getQueryResults(r -> r.queryExecutionId(id).maxResults(2));
    assertThat(values(first.resultSet().rows())).containsExactly(List.of("id", "dt"), List.of("1", "2026-12-01"));
    assertThat(first.nextToken()).isNotNull();
    List<List<String>> all = athena.getQueryResultsPaginator(r -> r.queryExecutionId(id).maxResults(2)).stream()
        .flatMap(page -> values(page.resultSet().rows()).stream()).toList();
    assertThat(all).containsExactly(List.of("id", "dt"), List.of("1", "2026-12-01"), List.of("2", "2026-12-01"),
        List.of("3", "2026-12-01"));
  }

  @Test
  void aStatementTheStandInCannotRunFailsWithTheReason() {
    String id = start("CREATE EXTERNAL TABLE shop.logs (line string) STORED AS ORC LOCATION 's3://athena-it/logs/'");
    QueryExecution execution = finish(id);
    assertThat(execution.status().state()).isEqualTo(QueryExecutionState.FAILED);
    assertThat(execution.status().stateChangeReason()).contains("STORED AS ORC is not supported");
    assertThat(execution.status().athenaError().errorCategory()).isEqualTo(2);
    assertThatThrownBy(() -> athena.getQueryResults(r -> r.queryExecutionId(id)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Final query state: FAILED");

    QueryExecution badSql = finish(start("SELECT nope FROM orders"));
    assertThat(badSql.status().state()).isEqualTo(QueryExecutionState.FAILED);
    assertThat(badSql.status().stateChangeReason()).contains("nope");
  }

  @Test
  void anUnknownExecutionIsAnInvalidRequest() {
    assertThatThrownBy(() -> athena.getQueryExecution(r -> r.queryExecutionId("00000000-0000-0000-0000-000000000000")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("was not found");
  }

  @Test
  void theAwsCliRunsAQueryAndReadsItsResults() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ACCESS_KEY_ID", cloud.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", cloud.secretAccessKey());
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    String endpoint = cloud.awsEndpoint().toString();
    String id = json.readTree(ExternalProgram.run(dataDir, env, List.of(ExternalProgram.AWS_CLI, "athena", "start-query-execution",
        "--query-string", "SELECT count(*) AS people FROM people", "--query-execution-context", "Database=shop",
        "--endpoint-url", endpoint, "--output", "json"))).path("QueryExecutionId").asText();
    assertThat(finish(id).status().state()).isEqualTo(QueryExecutionState.SUCCEEDED);
    JsonNode results = json.readTree(ExternalProgram.run(dataDir, env, List.of(ExternalProgram.AWS_CLI, "athena",
        "get-query-results", "--query-execution-id", id, "--endpoint-url", endpoint, "--output", "json")));
    assertThat(results.path("ResultSet").path("Rows").get(1).path("Data").get(0).path("VarCharValue").asText()).isEqualTo("2");
    JsonNode execution = json.readTree(ExternalProgram.run(dataDir, env, List.of(ExternalProgram.AWS_CLI, "athena",
        "get-query-execution", "--query-execution-id", id, "--endpoint-url", endpoint, "--output", "json")));
    assertThat(execution.path("QueryExecution").path("Status").path("State").asText()).isEqualTo("SUCCEEDED");
  }
}
