package io.casefeed.sink.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.casefeed.common.retry.Backoff;
import io.casefeed.common.time.Sleeper;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.AthenaException;
import software.amazon.awssdk.services.athena.model.GetQueryExecutionRequest;
import software.amazon.awssdk.services.athena.model.GetQueryExecutionResponse;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionResponse;

/** The runner's polling and retries against a scripted Athena (the real one is in AthenaApplyIT). */
class AthenaDdlRunnerTest {

  private static final Backoff CALLS = new Backoff(3, Duration.ofMillis(50), Duration.ofMillis(50), Backoff.Jitter.NONE);
  private static final Backoff POLLS = new Backoff(4, Duration.ofMillis(10), Duration.ofMillis(25), Backoff.Jitter.NONE);

  /** Answers StartQueryExecution from a script of failures, then GetQueryExecution with a script of states. */
  static final class ScriptedAthena implements AthenaClient {
    final Deque<RuntimeException> startFailures = new ArrayDeque<>();
    final Deque<QueryExecutionState> states = new ArrayDeque<>();
    final List<StartQueryExecutionRequest> starts = new ArrayList<>();
    int polls;

    @Override
    public StartQueryExecutionResponse startQueryExecution(StartQueryExecutionRequest request) {
      starts.add(request);
      if (!startFailures.isEmpty()) {
        throw startFailures.poll();
      }
      return StartQueryExecutionResponse.builder().queryExecutionId("q-" + starts.size()).build();
    }

    @Override
    public GetQueryExecutionResponse getQueryExecution(GetQueryExecutionRequest request) {
      polls++;
      QueryExecutionState state = states.size() > 1 ? states.poll() : states.peek();
      return GetQueryExecutionResponse.builder().queryExecution(q -> q.queryExecutionId(request.queryExecutionId())
          .status(s -> s.state(state).stateChangeReason(state == QueryExecutionState.FAILED ? "line 1:8: no viable alternative" : null)))
          .build();
    }

    @Override
    public String serviceName() {
      return "athena";
    }

    @Override
    public void close() {
    }
  }

  private final List<Duration> pauses = new ArrayList<>();
  private final Sleeper recording = pauses::add;

  @Test
  void pollsWithDoublingPausesUntilTheStatementSucceeds() throws Exception {
    ScriptedAthena athena = new ScriptedAthena();
    athena.states.addAll(List.of(QueryExecutionState.QUEUED, QueryExecutionState.RUNNING, QueryExecutionState.SUCCEEDED));
    List<AthenaDdlRunner.Outcome> outcomes = new AthenaDdlRunner(athena, "casefeed", "s3://results/x/", CALLS, POLLS, recording)
        .apply(List.of("CREATE DATABASE IF NOT EXISTS d"), o -> { });

    assertThat(outcomes).extracting(AthenaDdlRunner.Outcome::queryExecutionId).containsExactly("q-1");
    assertThat(athena.polls).isEqualTo(3);
    assertThat(pauses).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20));
    StartQueryExecutionRequest start = athena.starts.get(0);
    assertThat(start.workGroup()).isEqualTo("casefeed");
    assertThat(start.resultConfiguration().outputLocation()).isEqualTo("s3://results/x/");
  }

  @Test
  void aThrottledStartIsRetriedWithTheSameClientTokenSoTheStatementRunsOnce() throws Exception {
    ScriptedAthena athena = new ScriptedAthena();
    athena.startFailures.add((RuntimeException) AthenaException.builder().statusCode(400).message("Rate exceeded")
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("TooManyRequestsException").build()).build());
    athena.states.add(QueryExecutionState.SUCCEEDED);
    new AthenaDdlRunner(athena, "primary", null, CALLS, POLLS, recording).apply(List.of("CREATE DATABASE d"), o -> { });

    assertThat(athena.starts).hasSize(2);
    assertThat(athena.starts.get(1).clientRequestToken()).isNotBlank().isEqualTo(athena.starts.get(0).clientRequestToken());
    assertThat(athena.starts.get(0).resultConfiguration()).isNull();
    assertThat(pauses).containsExactly(Duration.ofMillis(50));
  }

  @Test
  void aRefusedRequestIsNotRetried() {
    ScriptedAthena athena = new ScriptedAthena();
    athena.startFailures.add(InvalidRequestException.builder().statusCode(400).message("No output location provided").build());
    assertThatThrownBy(() -> new AthenaDdlRunner(athena, "primary", null, CALLS, POLLS, recording)
        .apply(List.of("CREATE DATABASE d"), o -> { })).isInstanceOf(InvalidRequestException.class);
    assertThat(athena.starts).hasSize(1);
  }

  @Test
  void aFailedStatementStopsTheRunWithItsNumberAndAthenasReason() {
    ScriptedAthena athena = new ScriptedAthena();
    athena.states.add(QueryExecutionState.FAILED);
    assertThatThrownBy(() -> new AthenaDdlRunner(athena, "primary", null, CALLS, POLLS, recording)
        .apply(List.of("CREATE OR REPLACE VIEW d.v AS\nSELEC 1", "CREATE DATABASE e"), o -> { }))
        .isInstanceOf(AthenaDdlRunner.StatementFailedException.class)
        .hasMessage("statement 1 (CREATE OR REPLACE VIEW d.v AS) FAILED in Athena query q-1: line 1:8: no viable alternative");
    assertThat(athena.starts).hasSize(1);
  }

  @Test
  void aStatementStillRunningAfterEveryPollIsGivenUp() {
    ScriptedAthena athena = new ScriptedAthena();
    athena.states.add(QueryExecutionState.RUNNING);
    assertThatThrownBy(() -> new AthenaDdlRunner(athena, "primary", null, CALLS, POLLS, recording)
        .apply(List.of("CREATE DATABASE d"), o -> { }))
        .isInstanceOf(AthenaDdlRunner.StatementFailedException.class)
        .hasMessage("statement 1 (CREATE DATABASE d) did not finish after 4 polls; Athena query q-1 is RUNNING");
    assertThat(athena.polls).isEqualTo(4);
    assertThat(pauses).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(25));
  }
}
