package io.casefeed.streams.query;

import static io.casefeed.streams.testing.Cases.T0;
import static io.casefeed.streams.testing.Cases.details;
import static io.casefeed.streams.testing.Cases.observation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.SweepRecord;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.examples.ExampleRecords;
import io.casefeed.streams.change.ChangeDetector;
import io.casefeed.streams.pivot.Dimension;
import io.casefeed.streams.pivot.PivotCell;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaseQueriesTest {

  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  private static CaseState state(CaseDetails details, Instant observedAt) {
    return ChangeDetector.detect(null, observation(details, observedAt)).state();
  }

  private static CaseState resolvedLater(CaseDetails details, Duration after) {
    CaseState opened = state(details, T0);
    CaseDetails resolved = CaseDetails.newBuilder(details).setStatus("resolved").build();
    return ChangeDetector.detect(opened, observation(resolved, T0.plus(after))).state();
  }

  private final List<CaseState> cases = List.of(
      state(details("111111111111", "a").setSubject("Disk full").setSeverityCode("high").build(), T0),
      state(details("111111111111", "b").setSubject("Network flaky").setSeverityCode("low").build(), T0),
      resolvedLater(details("222222222222", "c").setSubject("disk slow").build(), Duration.ofHours(2)),
      resolvedLater(details("222222222222", "d").setTimeCreatedAt(NOW.minus(Duration.ofDays(10))).build(), Duration.ofHours(4)));

  @Test
  void filtersCombineAndPagesDoNotOverlap() {
    JsonNode disk = CaseQueries.listCases(cases, CaseFilter.parse(Map.of("q", "DISK")), NOW);
    JsonNode openOfFirst = CaseQueries.listCases(cases, CaseFilter.parse(Map.of("account", "111111111111", "state", "open")), NOW);
    JsonNode page1 = CaseQueries.listCases(cases, CaseFilter.parse(Map.of("sort", "account", "limit", "2")), NOW);
    JsonNode page2 = CaseQueries.listCases(cases, CaseFilter.parse(Map.of("sort", "account", "limit", "2", "offset", "2")), NOW);

    assertThat(disk.path("total").asInt()).isEqualTo(2);
    assertThat(openOfFirst.path("total").asInt()).isEqualTo(2);
    assertThat(page1.path("cases")).extracting(c -> c.path("caseDetails").path("caseId").asText()).containsExactly("a", "b");
    assertThat(page2.path("cases")).extracting(c -> c.path("caseDetails").path("caseId").asText()).containsExactly("c", "d");
    assertThat(page1.path("cases").get(0).path("firstSeenAt").asText()).isEqualTo(T0.toString());
  }

  @Test
  void badParametersAreRejectedByName() {
    assertThatThrownBy(() -> CaseFilter.parse(Map.of("limit", "0"))).hasMessageContaining("limit");
    assertThatThrownBy(() -> CaseFilter.parse(Map.of("sort", "colour"))).hasMessageContaining("sort");
    assertThatThrownBy(() -> CaseFilter.parse(Map.of("state", "closed"))).hasMessageContaining("state");
  }

  @Test
  void pivotSumsCellsAlongTwoDimensionsWithTheOthersAsFilters() {
    Map<String, Long> cells = new HashMap<>();
    cases.forEach(state -> cells.merge(PivotCell.of(state.getCaseDetails()).key(), 1L, Long::sum));
    cells.put("333333333333|opened|low|x|en", 0L);

    JsonNode pivot = CaseQueries.pivot(cells, Dimension.ACCOUNT, Dimension.STATUS, Map.of());
    JsonNode filtered = CaseQueries.pivot(cells, Dimension.SEVERITY, null, Map.of(Dimension.ACCOUNT, "111111111111"));

    assertThat(pivot.path("total").asLong()).isEqualTo(4);
    assertThat(pivot.path("data")).hasSize(2);
    assertThat(pivot.path("data").get(0).path("counts").path("opened").asLong()).isEqualTo(2);
    assertThat(pivot.path("data").get(1).path("counts").path("resolved").asLong()).isEqualTo(2);
    assertThat(filtered.path("total").asLong()).isEqualTo(2);
    assertThat(filtered.path("data")).extracting(row -> row.path("row").asText()).containsExactly("high", "low");
  }

  @Test
  void statsGiveAgeBucketsPercentilesAndDays() {
    JsonNode stats = CaseQueries.stats(cases, List.of(), NOW);

    assertThat(stats.path("open").asInt()).isEqualTo(2);
    // Both open cases were created on 2026-11-20, six days before NOW.
    assertThat(stats.path("openByAge").path("3-7d").asInt()).isEqualTo(2);
    JsonNode resolve = stats.path("timeToResolve").path("byAccount").path("222222222222");
    assertThat(resolve.path("count").asInt()).isEqualTo(2);
    assertThat(resolve.path("medianMs").asLong()).isEqualTo(Duration.ofMinutes(125).toMillis());
    assertThat(stats.path("perDay")).anySatisfy(day -> {
      assertThat(day.path("date").asText()).isEqualTo("2026-11-20");
      assertThat(day.path("resolved").asInt()).isEqualTo(2);
    });
  }

  @Test
  void percentileIsNearestRank() {
    List<Long> values = List.of(5L, 1L, 4L, 2L, 3L, 10L, 9L, 8L, 7L, 6L);

    assertThat(CaseQueries.percentile(values, 50)).isEqualTo(5);
    assertThat(CaseQueries.percentile(values, 90)).isEqualTo(9);
    assertThat(CaseQueries.percentile(List.of(42L), 90)).isEqualTo(42);
  }

  @Test
  void avroJsonRoundTripsARecordExactly() {
    CaseState state = cases.get(2);

    assertThat(AvroJson.decode(CaseState.class, AvroJson.encode(state))).isEqualTo(state);
  }

  @Test
  void accountsShowTheLastPollAndWhetherTheAccountsEventsArriveOrStopped() {
    AccountRecord template = (AccountRecord) ExampleRecords.byTopic().get(Topics.ACCOUNTS);
    SweepRecord sweep = (SweepRecord) ExampleRecords.byTopic().get(Topics.SWEEPS);
    AccountRecord flowing = AccountRecord.newBuilder(template).setAccountId("111111111111").build();
    AccountRecord stopped = AccountRecord.newBuilder(template).setAccountId("222222222222").build();
    AccountRecord off = AccountRecord.newBuilder(template).setAccountId("333333333333").build();
    List<SweepRecord> sweeps = List.of(
        SweepRecord.newBuilder(sweep).setAccountId("222222222222").setEvents("flowing").build(),
        SweepRecord.newBuilder(sweep).setAccountId("111111111111").setEvents("flowing").build(),
        // The later record of an account is its state now.
        SweepRecord.newBuilder(sweep).setAccountId("222222222222").setEvents("fallen-back").build(),
        SweepRecord.newBuilder(sweep).setAccountId("333333333333").setEvents(null).build());

    JsonNode reply = CaseQueries.accounts(List.of(off, stopped, flowing), sweeps, List.of());

    assertThat(reply).hasSize(3);
    assertThat(reply.get(0).get("accountId").asText()).isEqualTo("111111111111");
    assertThat(reply.get(0).get("events").asText()).isEqualTo("flowing");
    assertThat(reply.get(1).get("events").asText()).isEqualTo("fallen-back");
    assertThat(reply.get(2).get("events").isNull()).as("events off").isTrue();
    assertThat(reply.get(1).get("lastPollOutcome").asText()).isEqualTo(sweep.getOutcome());
  }
}
