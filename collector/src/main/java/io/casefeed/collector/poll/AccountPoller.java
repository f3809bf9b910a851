package io.casefeed.collector.poll;

import io.casefeed.collector.aws.SupportGateway;
import io.casefeed.collector.publish.DeadLetterLog;
import io.casefeed.collector.publish.ObservationSink;
import io.casefeed.collector.publish.ObservationSink.UnreadableItem;
import io.casefeed.collector.publish.ReadingLog;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.SweepRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.support.model.CaseDetails;
import software.amazon.awssdk.services.support.model.Communication;
import software.amazon.awssdk.services.support.model.DescribeCasesRequest;
import software.amazon.awssdk.services.support.model.DescribeCasesResponse;
import software.amazon.awssdk.services.support.model.DescribeCommunicationsResponse;

/**
 * Reads one account once: a fast poll of open cases followed by a re-read of the cases that left
 * the open set, or a reconciliation sweep. Every case seen becomes an observation; an item of a
 * reply that cannot (no caseId, or a shape the mapping refuses) goes to the dead-letter topic and
 * the poll goes on. The poll ends with its sweep record, published after all of these are stored.
 */
public final class AccountPoller {

  private static final Logger LOG = LoggerFactory.getLogger(AccountPoller.class);
  static final int MAX_RESULTS = 100;
  static final int CASE_ID_LIST_LIMIT = 100;
  private static final String RESOLVED = "resolved";

  private final SupportGateway gateway;
  private final CallRunner calls;
  private final ObservationSink sink;
  private final ReadingLog readings;
  private final Clock clock;
  private final List<String> languages;
  private final Duration lookback;
  private final String collectorId;
  /** Null while events are off: then no poll result is compared with what events announced. */
  private final MissedEvents missedEvents;
  private final EventsCoverage eventsCoverage;
  /** What was dead-lettered before this process, or by another instance: asked when the state does not know an item. */
  private final DeadLetterLog deadLetterLog;

  public AccountPoller(SupportGateway gateway, CallRunner calls, ObservationSink sink, ReadingLog readings, Clock clock,
      List<String> languages, Duration lookback, String collectorId) {
    this(gateway, calls, sink, readings, clock, languages, lookback, collectorId, null, null);
  }

  /**
   * @param missedEvents told of the changes polls find that no event announced; null = events off
   * @param eventsCoverage what each sweep record says of the account's events; null = events off
   */
  public AccountPoller(SupportGateway gateway, CallRunner calls, ObservationSink sink, ReadingLog readings, Clock clock,
      List<String> languages, Duration lookback, String collectorId, MissedEvents missedEvents, EventsCoverage eventsCoverage) {
    this(gateway, calls, sink, readings, clock, languages, lookback, collectorId, missedEvents, eventsCoverage, DeadLetterLog.NONE);
  }

  /**
   * @param deadLetterLog the keys of the unreadable items dead-lettered before this process or by another
   *     instance, told of each dead letter once it is stored; {@link DeadLetterLog#NONE} = this process only
   */
  public AccountPoller(SupportGateway gateway, CallRunner calls, ObservationSink sink, ReadingLog readings, Clock clock,
      List<String> languages, Duration lookback, String collectorId, MissedEvents missedEvents, EventsCoverage eventsCoverage,
      DeadLetterLog deadLetterLog) {
    this.gateway = gateway;
    this.calls = calls;
    this.sink = sink;
    this.readings = readings;
    this.clock = clock;
    this.languages = List.copyOf(languages);
    this.lookback = lookback;
    this.collectorId = collectorId;
    this.missedEvents = missedEvents;
    this.eventsCoverage = eventsCoverage;
    this.deadLetterLog = deadLetterLog;
  }

  /** One poll of the kind asked; {@link PollKind#FAST} includes the re-read. */
  public PollReport poll(AccountState state, PollKind kind) throws InterruptedException {
    Run run = new Run(state, kind, !readings.hasBeenRead(state.accountId()));
    Outcome outcome = Outcome.OK;
    String reason = null;
    try {
      run.ensureCredentials();
      if (kind == PollKind.SWEEP) {
        run.sweep();
      } else {
        run.fastPoll();
      }
    } catch (PollFailure failure) {
      outcome = failure.outcome();
      reason = failure.getMessage();
    }
    PollReport report = finish(run, outcome, reason);
    if (report.outcome() == Outcome.OK) {
      state.baselined = true;
    }
    return report;
  }

  /**
   * Re-reads the cases AWS Support events named, at once: DescribeCases by caseIdList, resolved cases
   * and communications included, in each case's language. A case not seen before carries no language
   * in its event, so the languages of poll.languages are asked in order until it is found; the one
   * found is remembered. Each observation carries pollKind event and the id of the (latest) event.
   *
   * @param events caseId to event id
   */
  public PollReport readAnnounced(AccountState state, Map<String, String> events) throws InterruptedException {
    // Not a first reading even before the account's first sweep completed: an event is news.
    Run run = new Run(state, PollKind.EVENT, false);
    run.eventIds.putAll(events);
    Outcome outcome = Outcome.OK;
    String reason = null;
    try {
      run.ensureCredentials();
      run.readAnnounced();
    } catch (PollFailure failure) {
      outcome = failure.outcome();
      reason = failure.getMessage();
    }
    return finish(run, outcome, reason);
  }

  private PollReport finish(Run run, Outcome outcome, String reason) throws InterruptedException {
    AccountState state = run.state;
    PollKind kind = run.kind;
    try {
      run.awaitStored();
    } catch (ExecutionException e) {
      // The observations are not lost for good (the next poll sees the cases again), but this poll
      // must not be reported as a complete reading.
      outcome = Outcome.ERROR;
      reason = "publishing observations failed: " + e.getCause();
    }
    run.logStoredDeadLetters();
    Instant finished = clock.instant();
    PollReport report = new PollReport(state.accountId(), run.pollId, kind, outcome, reason, run.pages, run.apiCalls,
        run.cases.size(), run.firstReading, run.startedAt, finished);
    SweepRecord record = toRecord(report);
    CompletableFuture<Void> stored = sink.sweep(record);
    if (outcome == Outcome.OK && kind == PollKind.SWEEP && run.firstReading) {
      readings.markRead(record);
    }
    try {
      stored.get();
    } catch (ExecutionException e) {
      LOG.error("sweep record of account {} poll {} was not stored: {}", state.accountId(), run.pollId, e.getCause().toString());
    }
    return report;
  }

  private SweepRecord toRecord(PollReport r) {
    return SweepRecord.newBuilder()
        .setAccountId(r.accountId()).setPollId(r.pollId()).setPollKind(r.kind().wireName())
        .setOutcome(r.outcome().wireName()).setReason(r.reason())
        .setPages(r.pages()).setApiCalls(r.apiCalls()).setCases(r.cases()).setFirstReading(r.firstReading())
        .setStartedAt(r.startedAt()).setFinishedAt(r.finishedAt())
        .setDurationMs(Duration.between(r.startedAt(), r.finishedAt()).toMillis())
        .setCollectorId(collectorId)
        .setEvents(eventsCoverage == null ? null : eventsCoverage.of(r.accountId()))
        .build();
  }

  /** A dead letter sent by a poll: stored once {@code stored} completes normally. */
  private record DeadLetterSent(CompletableFuture<Void> stored, Instant at) {}

  /** The state of one poll in progress. */
  private final class Run {
    final AccountState state;
    final String accountId;
    final PollKind kind;
    final boolean firstReading;
    final String pollId = UUID.randomUUID().toString();
    final Instant startedAt = clock.instant();
    final Set<String> cases = new HashSet<>();
    final List<CompletableFuture<Void>> pending = new ArrayList<>();
    /** The dead letters this poll sent, by item key: each goes to the dead-letter log once stored. */
    final Map<String, DeadLetterSent> deadLetters = new LinkedHashMap<>();
    /** With {@link PollKind#EVENT}: the cases to read, caseId to event id. */
    final Map<String, String> eventIds = new HashMap<>();
    int pages;
    int apiCalls;

    Run(AccountState state, PollKind kind, boolean firstReading) {
      this.state = state;
      this.accountId = state.accountId();
      this.kind = kind;
      this.firstReading = firstReading;
    }

    void ensureCredentials() throws PollFailure, InterruptedException {
      if (gateway.needsCredentials(accountId)) {
        calls.call(accountId, "AssumeRole", false, () -> {
          gateway.ensureCredentials(accountId);
          return null;
        }, () -> apiCalls++);
      }
    }

    void sweep() throws PollFailure, InterruptedException {
      String afterTime = startedAt.minus(lookback).truncatedTo(ChronoUnit.SECONDS).toString();
      Map<String, String> open = new HashMap<>();
      for (String language : languages) {
        DescribeCasesRequest filters = DescribeCasesRequest.builder()
            .includeResolvedCases(true).includeCommunications(true).afterTime(afterTime)
            .maxResults(MAX_RESULTS).language(language).build();
        readAllPages(filters, PollKind.SWEEP, open);
      }
      state.openCaseLanguages.clear();
      state.openCaseLanguages.putAll(open);
      state.newestCommunication.keySet().retainAll(cases);
      state.caseLanguages.keySet().retainAll(cases);
      state.resolved.keySet().retainAll(cases);
    }

    void readAnnounced() throws PollFailure, InterruptedException {
      Map<String, List<String>> byLanguage = new HashMap<>();
      List<String> unknown = new ArrayList<>();
      for (String caseId : eventIds.keySet()) {
        String language = state.caseLanguages.get(caseId);
        if (language == null) {
          unknown.add(caseId);
        } else {
          byLanguage.computeIfAbsent(language, l -> new ArrayList<>()).add(caseId);
        }
      }
      for (var entry : byLanguage.entrySet()) {
        readByIds(entry.getValue(), entry.getKey());
      }
      // A case whose language changed is looked for like a new one.
      byLanguage.values().forEach(ids -> ids.stream().filter(id -> !cases.contains(id)).forEach(unknown::add));
      for (String language : languages) {
        unknown.removeIf(cases::contains);
        if (unknown.isEmpty()) {
          break;
        }
        readByIds(List.copyOf(unknown), language);
      }
      unknown.removeIf(cases::contains);
      if (!unknown.isEmpty()) {
        LOG.warn("account {}: announced cases {} not found in any of the languages {}", accountId, unknown, languages);
      }
    }

    private void readByIds(List<String> ids, String language) throws PollFailure, InterruptedException {
      for (int from = 0; from < ids.size(); from += CASE_ID_LIST_LIMIT) {
        DescribeCasesRequest filters = DescribeCasesRequest.builder()
            .caseIdList(ids.subList(from, Math.min(ids.size(), from + CASE_ID_LIST_LIMIT)))
            .includeResolvedCases(true).includeCommunications(true).language(language).build();
        readAllPages(filters, PollKind.EVENT, state.openCaseLanguages);
      }
    }

    void fastPoll() throws PollFailure, InterruptedException {
      Map<String, String> open = new HashMap<>();
      for (String language : languages) {
        DescribeCasesRequest filters = DescribeCasesRequest.builder()
            .includeResolvedCases(false).includeCommunications(true).maxResults(MAX_RESULTS).language(language).build();
        readAllPages(filters, PollKind.FAST, open);
      }
      Map<String, List<String>> leftByLanguage = new HashMap<>();
      state.openCaseLanguages.forEach((caseId, language) -> {
        if (!open.containsKey(caseId)) {
          leftByLanguage.computeIfAbsent(language == null ? "en" : language, l -> new ArrayList<>()).add(caseId);
        }
      });
      Map<String, String> stillOpen = new HashMap<>(open);
      for (var entry : leftByLanguage.entrySet()) {
        List<String> ids = entry.getValue();
        for (int from = 0; from < ids.size(); from += CASE_ID_LIST_LIMIT) {
          DescribeCasesRequest filters = DescribeCasesRequest.builder()
              .caseIdList(ids.subList(from, Math.min(ids.size(), from + CASE_ID_LIST_LIMIT)))
              .includeResolvedCases(true).includeCommunications(true).language(entry.getKey()).build();
          readAllPages(filters, PollKind.REREAD, stillOpen);
        }
      }
      state.openCaseLanguages.clear();
      state.openCaseLanguages.putAll(stillOpen);
    }

    /** Every page of one query, the same filters repeated with each nextToken. */
    private void readAllPages(DescribeCasesRequest filters, PollKind pageKind, Map<String, String> open)
        throws PollFailure, InterruptedException {
      String nextToken = null;
      do {
        DescribeCasesRequest request = filters.toBuilder().nextToken(nextToken).build();
        DescribeCasesResponse page = calls.call(accountId, "DescribeCases", true,
            () -> gateway.describeCases(accountId, request), () -> apiCalls++);
        pages++;
        for (CaseDetails details : page.cases()) {
          if (details.caseId() == null || details.caseId().isBlank()) {
            // Without its key the item can be neither observed nor followed in the open set; keeping it
            // aside lets the rest of the account be read instead of failing every poll of it.
            unreadable(details, "Support DescribeCases item without caseId", null);
            continue;
          }
          observe(details, pageKind);
          if (!RESOLVED.equals(details.status())) {
            open.put(details.caseId(), details.language());
          } else {
            open.remove(details.caseId());
          }
        }
        nextToken = page.nextToken();
      } while (nextToken != null && !nextToken.isEmpty());
    }

    private void observe(CaseDetails details, PollKind pageKind) throws PollFailure, InterruptedException {
      List<Communication> communications = details.recentCommunications() == null
          ? List.of() : details.recentCommunications().communications();
      String communicationsToken = details.recentCommunications() == null ? null : details.recentCommunications().nextToken();
      Instant known = state.newestCommunication.get(details.caseId());
      if (known != null && communicationsToken != null && !communicationsToken.isEmpty()
          && !communications.isEmpty() && communications.stream().allMatch(c -> isAfter(c, known))) {
        communications = newCommunications(details.caseId(), known);
        communicationsToken = null;
      }
      String change = changeOf(details, communications);
      io.casefeed.schema.CaseDetails mapped;
      try {
        mapped = CaseMapping.toAvro(accountId, details, communications, communicationsToken);
      } catch (RuntimeException e) {
        // One item in a shape the mapping refuses must not stop the account. Its caseId and status
        // still keep it in the open set like any case; its communications are not counted as seen,
        // so they are fetched again once the item can be read.
        unreadable(details, "Support DescribeCases item " + details.caseId() + " could not be mapped to a case observation", e);
        return;
      }
      communications.stream().map(c -> CaseMapping.parse(c.timeCreated())).filter(t -> t != null)
          .max(Instant::compareTo).ifPresent(t -> state.newestCommunication.merge(details.caseId(), t,
              (a, b) -> a.isAfter(b) ? a : b));
      cases.add(details.caseId());
      if (details.language() != null) {
        state.caseLanguages.put(details.caseId(), details.language());
      }
      state.resolved.put(details.caseId(), RESOLVED.equals(details.status()));
      if (change != null && pageKind != PollKind.EVENT && missedEvents != null && state.baselined
          && !state.announced.containsKey(details.caseId())) {
        missedEvents.missed(accountId, details.caseId(), change);
      }
      CaseObservation observation = CaseObservation.newBuilder()
          .setAccountId(accountId)
          .setCaseDetails(mapped)
          .setObservedAt(clock.instant())
          .setPollId(pollId)
          .setPollKind(pageKind.wireName())
          .setFirstReading(firstReading)
          .setEventId(pageKind == PollKind.EVENT ? eventIds.get(details.caseId()) : null)
          .build();
      pending.add(sink.observation(observation));
    }

    /**
     * What changed in a case since the last read of this account, among the changes AWS Support
     * announces by event; null when none (or the case is seen for the first time before any poll
     * completed, when everything would look new). Called before the state learns of the case.
     */
    private String changeOf(CaseDetails details, List<Communication> communications) {
      Boolean wasResolved = state.resolved.get(details.caseId());
      if (wasResolved == null) {
        return "created";
      }
      boolean isResolved = RESOLVED.equals(details.status());
      if (wasResolved != isResolved) {
        return isResolved ? "resolved" : "reopened";
      }
      Instant known = state.newestCommunication.get(details.caseId());
      boolean newer = communications.stream().map(c -> CaseMapping.parse(c.timeCreated())).filter(t -> t != null)
          .anyMatch(t -> known == null || t.isAfter(known));
      return newer ? "communication" : null;
    }

    /** Stored with the observations: the poll's sweep record waits for it like for them. */
    private void unreadable(CaseDetails details, String reason, RuntimeException cause) {
      String json = CaseMapping.toJson(details);
      UnreadableItem item = new UnreadableItem(accountId, reason, cause, json, clock.instant());
      String key = DeadLetteredItems.key(accountId, details.caseId(), json);
      // Asked in this order so that a key the log knows is remembered in the state from now on.
      if (!state.deadLettered.firstSighting(key) || deadLetterLog.wasStored(accountId, key)) {
        // AWS returns the same unreadable item on every poll until someone fixes the case: one dead
        // letter per version of the item is enough, also across restarts; the sighting is still counted.
        LOG.debug("account {} poll {}: {}; already dead-lettered unchanged", accountId, pollId, reason);
        sink.unreadableAgain(item);
        return;
      }
      // The reason names at most the caseId; the cause's message and the item stay out of the log,
      // as they may quote the case's text.
      LOG.warn("account {} poll {}: {}{}; the item goes to the dead-letter topic", accountId, pollId, reason,
          cause == null ? "" : " (" + cause.getClass().getName() + ")");
      CompletableFuture<Void> stored = sink.unreadable(item).whenComplete((ok, failure) -> {
        if (failure != null) {
          state.deadLettered.forget(key);
        }
      });
      pending.add(stored);
      deadLetters.put(key, new DeadLetterSent(stored, item.seenAt()));
    }

    /**
     * Tells the dead-letter log of the dead letters stored, from the poll's thread once they are (not
     * from the producer's callback, which must not send). One still in flight (the poll ended on
     * another failure) or failed is not logged: at worst it is dead-lettered once more after a restart.
     */
    void logStoredDeadLetters() {
      deadLetters.forEach((key, sent) -> {
        if (sent.stored().isDone() && !sent.stored().isCompletedExceptionally()) {
          deadLetterLog.stored(accountId, key, sent.at());
        }
      });
    }

    /** More than the five recent communications are new: fetch every one after the newest known. */
    private List<Communication> newCommunications(String caseId, Instant after) throws PollFailure, InterruptedException {
      List<Communication> all = new ArrayList<>();
      String nextToken = null;
      do {
        String token = nextToken;
        DescribeCommunicationsResponse page = calls.call(accountId, "DescribeCommunications", true,
            () -> gateway.describeCommunications(accountId, software.amazon.awssdk.services.support.model.DescribeCommunicationsRequest.builder()
                .caseId(caseId).afterTime(after.toString()).maxResults(MAX_RESULTS).nextToken(token).build()),
            () -> apiCalls++);
        pages++;
        page.communications().stream().filter(c -> isAfter(c, after)).forEach(all::add);
        nextToken = page.nextToken();
      } while (nextToken != null && !nextToken.isEmpty());
      all.sort(java.util.Comparator.comparing((Communication c) -> CaseMapping.parse(c.timeCreated())).reversed());
      return all;
    }

    private boolean isAfter(Communication c, Instant known) {
      Instant t = CaseMapping.parse(c.timeCreated());
      return t != null && t.isAfter(known);
    }

    void awaitStored() throws InterruptedException, ExecutionException {
      for (CompletableFuture<Void> future : pending) {
        future.get();
      }
    }
  }
}
