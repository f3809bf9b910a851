package io.casefeed.sink.athena;

import io.casefeed.common.retry.Backoff;
import io.casefeed.common.retry.Retrier;
import io.casefeed.common.time.Sleeper;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.AthenaException;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;

/**
 * Runs DDL statements one by one through Athena: StartQueryExecution, then GetQueryExecution until
 * the statement SUCCEEDED or FAILED. The next statement starts only after the previous one
 * succeeded, since later statements depend on earlier ones (views on tables, tables on the database);
 * the first that fails stops the run with Athena's reason. Polling and transient call failures
 * (throttling, 5xx, no answer) both go through the common {@link Retrier}.
 */
public final class AthenaDdlRunner {

  /** One statement that finished. */
  public record Outcome(int number, String statement, String queryExecutionId, long elapsedMillis) {
    /** The statement's first line, enough to name it in a report. */
    public String summary() {
      return summarize(statement);
    }
  }

  /** A statement Athena did not run: FAILED or CANCELLED, or still running after every poll. */
  public static final class StatementFailedException extends Exception {
    private final int number;
    private final String statement;

    StatementFailedException(int number, String statement, String message) {
      super(message);
      this.number = number;
      this.statement = statement;
    }

    public int number() {
      return number;
    }

    public String statement() {
      return statement;
    }
  }

  /** Thrown by a poll while the statement is still QUEUED or RUNNING, so the Retrier polls again. */
  private static final class StillRunning extends RuntimeException {
    StillRunning(String state) {
      super("still " + state, null, false, false);
    }
  }

  private final AthenaClient athena;
  private final String workgroup;
  private final String outputLocation;
  private final Retrier calls;
  private final Retrier polls;

  /**
   * @param outputLocation s3:// result folder, or null for the workgroup's own
   * @param callRetries attempts of one call that fails transiently
   * @param polling GetQueryExecution calls per statement and the pauses between them
   */
  public AthenaDdlRunner(AthenaClient athena, String workgroup, String outputLocation, Backoff callRetries, Backoff polling,
      Sleeper sleeper) {
    this.athena = athena;
    this.workgroup = workgroup;
    this.outputLocation = outputLocation;
    this.calls = new Retrier(callRetries, AthenaDdlRunner::isTransient, sleeper);
    this.polls = new Retrier(polling, failure -> failure instanceof StillRunning || isTransient(failure), sleeper);
  }

  /**
   * Runs the statements in order, telling {@code done} about each one that succeeded.
   *
   * @throws StatementFailedException naming the first statement that did not succeed, with Athena's reason
   */
  public List<Outcome> apply(List<String> statements, Consumer<Outcome> done) throws StatementFailedException, InterruptedException {
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < statements.size(); i++) {
      Outcome outcome = run(i + 1, statements.get(i));
      outcomes.add(outcome);
      done.accept(outcome);
    }
    return outcomes;
  }

  private Outcome run(int number, String statement) throws StatementFailedException, InterruptedException {
    // One token for every attempt: a start whose answer was lost and is retried does not run the statement twice.
    String token = UUID.randomUUID().toString();
    StartQueryExecutionRequest.Builder request = StartQueryExecutionRequest.builder()
        .queryString(statement).workGroup(workgroup).clientRequestToken(token);
    if (outputLocation != null) {
      request.resultConfiguration(r -> r.outputLocation(outputLocation));
    }
    StartQueryExecutionRequest start = request.build();
    String id = calls.call(() -> athena.startQueryExecution(start).queryExecutionId());
    QueryExecution execution;
    try {
      execution = polls.call(() -> {
        QueryExecution current = athena.getQueryExecution(r -> r.queryExecutionId(id)).queryExecution();
        QueryExecutionState state = current.status().state();
        if (state == QueryExecutionState.QUEUED || state == QueryExecutionState.RUNNING) {
          throw new StillRunning(current.status().stateAsString());
        }
        return current;
      });
    } catch (StillRunning e) {
      throw new StatementFailedException(number, statement, "statement " + number + " (" + summarize(statement) + ") did not finish"
          + " after " + polls.backoff().maxAttempts() + " polls; Athena query " + id + " is " + e.getMessage().substring("still ".length()));
    }
    QueryExecutionState state = execution.status().state();
    if (state != QueryExecutionState.SUCCEEDED) {
      String reason = execution.status().stateChangeReason();
      throw new StatementFailedException(number, statement, "statement " + number + " (" + summarize(statement) + ") "
          + execution.status().stateAsString() + " in Athena query " + id + ": " + (reason == null ? "no reason given" : reason));
    }
    long elapsed = execution.statistics() == null || execution.statistics().totalExecutionTimeInMillis() == null ? 0
        : execution.statistics().totalExecutionTimeInMillis();
    return new Outcome(number, statement, id, elapsed);
  }

  /** Throttling, 5xx and no answer at all are worth another attempt; a refused request is not. */
  static boolean isTransient(Throwable failure) {
    if (failure instanceof AthenaException e) {
      return e.statusCode() >= 500 || e.statusCode() == 429 || e.isThrottlingException()
          || (e.awsErrorDetails() != null && "TooManyRequestsException".equals(e.awsErrorDetails().errorCode()));
    }
    return failure instanceof SdkClientException;
  }

  static String summarize(String statement) {
    String first = statement.lines().findFirst().orElse("").strip();
    return first.endsWith("(") ? first.substring(0, first.length() - 1).strip() : first;
  }
}
