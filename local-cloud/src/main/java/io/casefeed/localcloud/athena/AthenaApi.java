package io.casefeed.localcloud.athena;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casefeed.localcloud.protocol.AwsServiceException;
import io.casefeed.localcloud.identity.Caller;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Amazon Athena's query API (JSON 1.1, target prefix {@code AmazonAthena}) over DuckDB:
 * StartQueryExecution queues a statement, which runs in the background; GetQueryExecution reports
 * QUEUED, RUNNING, SUCCEEDED or FAILED with the reason; GetQueryResults pages the rows as Athena does
 * (a SELECT's first row holds the column names). Executions belong to the account that started them.
 * The catalog lives in memory: it is gone when local-cloud stops, so run the DDL again after a restart.
 */
public final class AthenaApi implements AutoCloseable {

  public static final String TARGET_PREFIX = "AmazonAthena";
  private static final Logger LOG = LoggerFactory.getLogger(AthenaApi.class);
  private static final int MAX_QUERY_CHARS = 262_144;
  private static final int MAX_RESULTS = 1000;
  /** AthenaError.ErrorCategory 2 = the user's query; ErrorType 1006 = a general user error. */
  private static final int USER_ERROR_CATEGORY = 2;
  private static final int USER_ERROR_TYPE = 1006;

  private final ObjectMapper json;
  private final Clock clock;
  private final AthenaEngine engine;
  private final ExecutorService runner;
  private final Map<String, Execution> executions = new ConcurrentHashMap<>();
  private final Map<String, String> byClientToken = new ConcurrentHashMap<>();

  /** One statement and where it stands; fields are written by the runner, read by any caller. */
  private static final class Execution {
    final String id;
    final String accountId;
    final String query;
    final String database;
    final String workGroup;
    final String outputLocation;
    final Instant submitted;
    volatile String state = "QUEUED";
    volatile String statementType = "DML";
    volatile String reason;
    volatile Instant completed;
    volatile AthenaEngine.Result result;

    Execution(String id, String accountId, String query, String database, String workGroup, String outputLocation, Instant submitted) {
      this.id = id;
      this.accountId = accountId;
      this.query = query;
      this.database = database;
      this.workGroup = workGroup;
      this.outputLocation = outputLocation;
      this.submitted = submitted;
    }
  }

  /** @param s3Store the local S3 stand-in's folder, where the tables' files are */
  public AthenaApi(Path s3Store, Clock clock, ObjectMapper json) {
    this.json = json;
    this.clock = clock;
    this.engine = new AthenaEngine(s3Store);
    // One statement at a time, in the order started, as a DDL script expects.
    this.runner = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "localcloud-athena");
      thread.setDaemon(true);
      return thread;
    });
  }

  public JsonNode handle(String operation, JsonNode request, Caller caller) {
    return switch (operation) {
      case "StartQueryExecution" -> start(request, caller);
      case "GetQueryExecution" -> getExecution(request, caller);
      case "GetQueryResults" -> getResults(request, caller);
      default -> throw new AwsServiceException(400, "UnknownOperationException",
          "The stand-in serves StartQueryExecution, GetQueryExecution and GetQueryResults, not " + operation);
    };
  }

  private JsonNode start(JsonNode request, Caller caller) {
    String query = request.path("QueryString").asText("");
    if (query.isEmpty() || query.length() > MAX_QUERY_CHARS) {
      throw invalid("QueryString must be 1 to " + MAX_QUERY_CHARS + " characters long");
    }
    if (request.has("ExecutionParameters")) {
      throw invalid("ExecutionParameters are not supported by the local-cloud stand-in");
    }
    String catalog = request.path("QueryExecutionContext").path("Catalog").asText("AwsDataCatalog");
    if (!catalog.equalsIgnoreCase("AwsDataCatalog")) {
      throw invalid("Catalog " + catalog + " does not exist: the stand-in has AwsDataCatalog only");
    }
    String token = request.path("ClientRequestToken").asText(null);
    if (token != null) {
      // The SDKs fill the token in, so a retried call must not run the statement twice.
      String known = byClientToken.get(caller.accountId() + "/" + token);
      if (known != null) {
        return json.createObjectNode().put("QueryExecutionId", known);
      }
    }
    String database = request.path("QueryExecutionContext").path("Database").asText("default").toLowerCase(java.util.Locale.ROOT);
    String workGroup = request.path("WorkGroup").asText("primary");
    String output = request.path("ResultConfiguration").path("OutputLocation").asText(null);
    String id = UUID.randomUUID().toString();
    Execution execution = new Execution(id, caller.accountId(), query, database, workGroup,
        output == null ? null : (output.endsWith("/") ? output : output + "/") + id + ".csv", clock.instant());
    executions.put(id, execution);
    if (token != null) {
      byClientToken.put(caller.accountId() + "/" + token, id);
    }
    runner.execute(() -> run(execution));
    return json.createObjectNode().put("QueryExecutionId", id);
  }

  private void run(Execution execution) {
    execution.state = "RUNNING";
    try {
      AthenaStatement statement = HiveDdl.parse(execution.query, execution.database);
      execution.statementType = statement.statementType();
      execution.result = engine.execute(statement, execution.database);
      execution.completed = clock.instant();
      execution.state = "SUCCEEDED";
    } catch (HiveDdlException e) {
      fail(execution, e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("Athena stand-in failed on query {}", execution.id, e);
      fail(execution, "internal error of the stand-in: " + e);
    }
  }

  private void fail(Execution execution, String reason) {
    execution.reason = reason;
    execution.completed = clock.instant();
    execution.state = "FAILED";
  }

  private JsonNode getExecution(JsonNode request, Caller caller) {
    Execution execution = find(request, caller);
    ObjectNode reply = json.createObjectNode();
    ObjectNode body = reply.putObject("QueryExecution");
    body.put("QueryExecutionId", execution.id);
    body.put("Query", execution.query);
    body.put("StatementType", execution.statementType);
    ObjectNode resultConfiguration = body.putObject("ResultConfiguration");
    if (execution.outputLocation != null) {
      resultConfiguration.put("OutputLocation", execution.outputLocation);
    }
    body.putObject("QueryExecutionContext").put("Database", execution.database).put("Catalog", "AwsDataCatalog");
    ObjectNode status = body.putObject("Status");
    String state = execution.state;
    status.put("State", state);
    status.put("SubmissionDateTime", epochSeconds(execution.submitted));
    Instant completed = execution.completed;
    if (completed != null) {
      status.put("CompletionDateTime", epochSeconds(completed));
    }
    if ("FAILED".equals(state)) {
      status.put("StateChangeReason", execution.reason);
      status.putObject("AthenaError").put("ErrorCategory", USER_ERROR_CATEGORY).put("ErrorType", USER_ERROR_TYPE)
          .put("Retryable", false).put("ErrorMessage", execution.reason);
    }
    ObjectNode statistics = body.putObject("Statistics");
    long elapsed = (completed == null ? clock.instant() : completed).toEpochMilli() - execution.submitted.toEpochMilli();
    statistics.put("EngineExecutionTimeInMillis", elapsed).put("TotalExecutionTimeInMillis", elapsed).put("DataScannedInBytes", 0);
    body.put("WorkGroup", execution.workGroup);
    body.putObject("EngineVersion").put("SelectedEngineVersion", "AUTO").put("EffectiveEngineVersion", "Athena engine version 3");
    return reply;
  }

  private JsonNode getResults(JsonNode request, Caller caller) {
    Execution execution = find(request, caller);
    String state = execution.state;
    if ("FAILED".equals(state)) {
      throw invalid("Query did not finish successfully. Final query state: FAILED\n" + execution.reason);
    }
    if (!"SUCCEEDED".equals(state)) {
      throw invalid("Query has not yet finished. Current state: " + state);
    }
    int max = request.path("MaxResults").asInt(MAX_RESULTS);
    if (max < 1 || max > MAX_RESULTS) {
      throw invalid("MaxResults must be between 1 and " + MAX_RESULTS);
    }
    AthenaEngine.Result result = execution.result;
    // A SELECT's result begins with a row of the column names, counted in the pages like any row.
    boolean header = "DML".equals(execution.statementType);
    int total = result.rows().size() + (header ? 1 : 0);
    int from = 0;
    String next = request.path("NextToken").asText(null);
    if (next != null) {
      try {
        from = Integer.parseInt(next);
      } catch (NumberFormatException e) {
        throw invalid("NextToken is not one this API returned: " + next);
      }
      if (from < 0 || from > total) {
        throw invalid("NextToken is not one this API returned: " + next);
      }
    }
    int to = Math.min(total, from + max);
    ObjectNode reply = json.createObjectNode();
    reply.put("UpdateCount", 0);
    ObjectNode resultSet = reply.putObject("ResultSet");
    ArrayNode rows = resultSet.putArray("Rows");
    for (int i = from; i < to; i++) {
      List<String> row = header && i == 0 ? result.columns() : result.rows().get(i - (header ? 1 : 0));
      ArrayNode data = rows.addObject().putArray("Data");
      for (String value : row) {
        ObjectNode datum = data.addObject();
        if (value != null) {
          datum.put("VarCharValue", value);
        }
      }
    }
    ArrayNode columns = resultSet.putObject("ResultSetMetadata").putArray("ColumnInfo");
    for (int c = 0; c < result.columns().size(); c++) {
      String type = result.types().get(c);
      columns.addObject().put("CatalogName", "hive").put("SchemaName", "").put("TableName", "")
          .put("Name", result.columns().get(c)).put("Label", result.columns().get(c)).put("Type", type)
          .put("Precision", 0).put("Scale", 0).put("Nullable", "UNKNOWN").put("CaseSensitive", type.equals("varchar"));
    }
    if (to < total) {
      reply.put("NextToken", Integer.toString(to));
    }
    return reply;
  }

  private Execution find(JsonNode request, Caller caller) {
    String id = request.path("QueryExecutionId").asText("");
    Execution execution = executions.get(id);
    if (execution == null || !execution.accountId.equals(caller.accountId())) {
      throw invalid("QueryExecution " + id + " was not found");
    }
    return execution;
  }

  private static double epochSeconds(Instant at) {
    return at.getEpochSecond() + at.getNano() / 1_000_000 / 1000.0;
  }

  private static AwsServiceException invalid(String message) {
    return new AwsServiceException(400, "InvalidRequestException", message);
  }

  @Override
  public void close() {
    runner.shutdownNow();
    try {
      runner.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    engine.close();
  }
}
