package io.casefeed.streams.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.SweepRecord;
import io.casefeed.streams.change.CaseStatuses;
import io.casefeed.streams.pivot.Dimension;
import io.casefeed.streams.pivot.PivotCell;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The answers of the query API, computed from the stores' contents (gathered from every instance):
 * pure functions of their inputs and {@code now}, so they are tested without Kafka or HTTP.
 */
public final class CaseQueries {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Upper bounds of the age buckets of open cases; the last bucket is open-ended. */
  static final List<Map.Entry<String, Duration>> AGE_BUCKETS = List.of(
      Map.entry("<1d", Duration.ofDays(1)), Map.entry("1-3d", Duration.ofDays(3)), Map.entry("3-7d", Duration.ofDays(7)),
      Map.entry("7-30d", Duration.ofDays(30)), Map.entry(">30d", Duration.ofSeconds(Long.MAX_VALUE)));

  private CaseQueries() {}

  public static ObjectNode caseNode(CaseState state, Instant now) {
    ObjectNode node = AvroJson.toNode(state);
    boolean resolved = CaseStatuses.isResolved(state.getCaseDetails().getStatus());
    node.put("open", !resolved);
    node.put("ageMs", Duration.between(CaseFilter.createdAt(state), resolved && state.getResolvedAt() != null ? state.getResolvedAt() : now).toMillis());
    return node;
  }

  public static ObjectNode listCases(Collection<CaseState> cases, CaseFilter filter, Instant now) {
    List<CaseState> matching = cases.stream().filter(filter::matches).sorted(filter.comparator()).toList();
    ArrayNode page = NODES.arrayNode();
    matching.stream().skip(filter.offset()).limit(filter.limit()).forEach(state -> page.add(caseNode(state, now)));
    ObjectNode reply = NODES.objectNode();
    reply.put("total", matching.size());
    reply.put("offset", filter.offset());
    reply.put("limit", filter.limit());
    reply.set("cases", page);
    return reply;
  }

  public static ObjectNode caseWithHistory(CaseState state, List<CaseChange> history, Instant now) {
    ObjectNode reply = caseNode(state, now);
    ArrayNode changes = NODES.arrayNode();
    history.forEach(change -> {
      ObjectNode node = AvroJson.toNode(change);
      // The full previous/current details are in the case itself; the history says what changed and when.
      node.remove("previous");
      node.remove("current");
      changes.add(node);
    });
    reply.set("history", changes);
    return reply;
  }

  /**
   * Sums the fine-grained pivot cells along {@code rows} and {@code cols} (null for a one-dimension
   * pivot), keeping only the cells that match {@code filters}.
   */
  public static ObjectNode pivot(Map<String, Long> cells, Dimension rows, Dimension cols, Map<Dimension, String> filters) {
    Map<String, Map<String, Long>> table = new TreeMap<>();
    TreeSet<String> colValues = new TreeSet<>();
    long total = 0;
    for (Map.Entry<String, Long> entry : cells.entrySet()) {
      if (entry.getValue() == null || entry.getValue() <= 0) {
        continue;
      }
      PivotCell cell = PivotCell.parse(entry.getKey());
      if (!filters.entrySet().stream().allMatch(f -> cell.value(f.getKey()).equals(f.getValue()))) {
        continue;
      }
      String col = cols == null ? "count" : cell.value(cols);
      colValues.add(col);
      table.computeIfAbsent(cell.value(rows), r -> new TreeMap<>()).merge(col, entry.getValue(), Long::sum);
      total += entry.getValue();
    }
    ObjectNode reply = NODES.objectNode();
    reply.put("rows", rows.parameter());
    reply.put("cols", cols == null ? null : cols.parameter());
    ObjectNode filterNode = reply.putObject("filters");
    filters.forEach((dimension, value) -> filterNode.put(dimension.parameter(), value));
    ArrayNode columns = reply.putArray("columns");
    colValues.forEach(columns::add);
    ArrayNode rowNodes = reply.putArray("data");
    table.forEach((row, counts) -> {
      ObjectNode rowNode = rowNodes.addObject();
      rowNode.put("row", row);
      ObjectNode countNode = rowNode.putObject("counts");
      counts.forEach(countNode::put);
      rowNode.put("total", counts.values().stream().mapToLong(Long::longValue).sum());
    });
    reply.put("total", total);
    return reply;
  }

  /** Every member account with its last poll outcome and its cases. */
  public static ArrayNode accounts(Collection<AccountRecord> accounts, Collection<SweepRecord> sweeps, Collection<CaseState> cases) {
    Map<String, SweepRecord> lastSweep = new HashMap<>();
    sweeps.forEach(sweep -> lastSweep.put(sweep.getAccountId(), sweep));
    Map<String, long[]> openAndTotal = new HashMap<>();
    for (CaseState state : cases) {
      long[] counts = openAndTotal.computeIfAbsent(state.getAccountId(), a -> new long[2]);
      counts[1]++;
      if (!CaseStatuses.isResolved(state.getCaseDetails().getStatus())) {
        counts[0]++;
      }
    }
    ArrayNode reply = NODES.arrayNode();
    accounts.stream().sorted((a, b) -> a.getAccountId().compareTo(b.getAccountId())).forEach(account -> {
      ObjectNode node = AvroJson.toNode(account);
      SweepRecord sweep = lastSweep.get(account.getAccountId());
      node.put("lastPollOutcome", sweep == null ? null : sweep.getOutcome());
      node.put("lastPollReason", sweep == null ? null : sweep.getReason());
      node.put("lastPollAt", sweep == null ? null : sweep.getFinishedAt().toString());
      node.put("lastPollKind", sweep == null ? null : sweep.getPollKind());
      node.put("events", sweep == null ? null : sweep.getEvents());
      long[] counts = openAndTotal.getOrDefault(account.getAccountId(), new long[2]);
      node.put("openCases", counts[0]);
      node.put("cases", counts[1]);
      reply.add(node);
    });
    return reply;
  }

  /**
   * Totals, open cases by age bucket, response and resolution times (median and p90) per account
   * and per severity, cases opened and resolved per UTC day, and poll outcomes.
   */
  public static ObjectNode stats(Collection<CaseState> cases, Collection<SweepRecord> sweeps, Instant now) {
    ObjectNode reply = NODES.objectNode();
    long open = cases.stream().filter(s -> !CaseStatuses.isResolved(s.getCaseDetails().getStatus())).count();
    reply.put("cases", cases.size());
    reply.put("open", open);
    reply.put("resolved", cases.size() - open);

    Map<String, Long> ages = new LinkedHashMap<>();
    AGE_BUCKETS.forEach(bucket -> ages.put(bucket.getKey(), 0L));
    for (CaseState state : cases) {
      if (CaseStatuses.isResolved(state.getCaseDetails().getStatus())) {
        continue;
      }
      Duration age = Duration.between(CaseFilter.createdAt(state), now);
      for (Map.Entry<String, Duration> bucket : AGE_BUCKETS) {
        if (age.compareTo(bucket.getValue()) < 0) {
          ages.merge(bucket.getKey(), 1L, Long::sum);
          break;
        }
      }
    }
    ObjectNode ageNode = reply.putObject("openByAge");
    ages.forEach(ageNode::put);

    reply.set("timeToFirstAwsResponse", durations(cases, CaseState::getTimeToFirstAwsResponseMs));
    reply.set("timeToResolve", durations(cases, CaseState::getTimeToResolveMs));

    Map<LocalDate, long[]> perDay = new TreeMap<>();
    for (CaseState state : cases) {
      perDay.computeIfAbsent(LocalDate.ofInstant(CaseFilter.createdAt(state), ZoneOffset.UTC), d -> new long[2])[0]++;
      if (state.getResolvedAt() != null) {
        perDay.computeIfAbsent(LocalDate.ofInstant(state.getResolvedAt(), ZoneOffset.UTC), d -> new long[2])[1]++;
      }
    }
    ArrayNode days = reply.putArray("perDay");
    perDay.forEach((day, counts) -> days.addObject().put("date", day.toString()).put("opened", counts[0]).put("resolved", counts[1]));

    Map<String, Long> outcomes = new TreeMap<>();
    Map<String, SweepRecord> lastSweep = new HashMap<>();
    sweeps.forEach(sweep -> lastSweep.put(sweep.getAccountId(), sweep));
    lastSweep.values().forEach(sweep -> outcomes.merge(sweep.getOutcome(), 1L, Long::sum));
    ObjectNode coverage = reply.putObject("coverage");
    coverage.put("accountsPolled", lastSweep.size());
    ObjectNode byOutcome = coverage.putObject("lastOutcome");
    outcomes.forEach(byOutcome::put);
    return reply;
  }

  private static ObjectNode durations(Collection<CaseState> cases, Function<CaseState, Long> duration) {
    ObjectNode node = NODES.objectNode();
    node.set("byAccount", percentilesBy(cases, CaseState::getAccountId, duration));
    node.set("bySeverity", percentilesBy(cases, s -> Dimension.SEVERITY.valueOf(s.getCaseDetails()), duration));
    return node;
  }

  private static ObjectNode percentilesBy(Collection<CaseState> cases, Function<CaseState, String> group, Function<CaseState, Long> duration) {
    Map<String, List<Long>> values = new TreeMap<>();
    for (CaseState state : cases) {
      Long ms = duration.apply(state);
      if (ms != null) {
        values.computeIfAbsent(group.apply(state), g -> new ArrayList<>()).add(ms);
      }
    }
    ObjectNode node = NODES.objectNode();
    values.forEach((key, list) -> node.putObject(key)
        .put("count", list.size()).put("medianMs", percentile(list, 50)).put("p90Ms", percentile(list, 90)));
    return node;
  }

  /** Nearest-rank percentile. */
  static long percentile(List<Long> values, int percent) {
    List<Long> sorted = values.stream().sorted().toList();
    int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
