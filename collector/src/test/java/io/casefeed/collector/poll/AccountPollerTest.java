package io.casefeed.collector.poll;

import static io.casefeed.collector.poll.FakeSupport.communication;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.collector.metrics.CollectorMetrics;
import io.casefeed.collector.publish.ObservationSink.UnreadableItem;
import io.casefeed.collector.ratelimit.RateLimits;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.SweepRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.support.model.DescribeCasesRequest;

class AccountPollerTest {

  static final String ACCOUNT = "111111111111";
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  FakeSupport support;
  MemorySink sink;
  List<Duration> sleeps;
  AccountPoller poller;
  AccountState state;

  @BeforeEach
  void setUp() {
    support = new FakeSupport();
    sink = new MemorySink();
    sleeps = new ArrayList<>();
    CallRunner calls = new CallRunner(new RateLimits(1000, 1000, 1000), new CollectorMetrics(new SimpleMeterRegistry()),
        4, Duration.ofMillis(100), Duration.ofSeconds(2), new Random(7), sleeps::add);
    poller = new AccountPoller(support, calls, sink, sink, Clock.fixed(NOW, ZoneOffset.UTC),
        List.of("en", "ja", "zh", "ko"), Duration.ofDays(730), "collector-test");
    state = new AccountState(ACCOUNT);
  }

  private Set<String> observedIds(String pollId) {
    return sink.observations.stream().filter(o -> o.getPollId().equals(pollId))
        .map(o -> o.getCaseDetails().getCaseId()).collect(Collectors.toSet());
  }

  @Test
  void sweepReadsEveryPageOfEveryLanguageRepeatingTheFilters() throws Exception {
    for (int i = 0; i < 35; i++) {
      support.add(ACCOUNT, "case-en-" + i, "en", i % 3 == 0 ? "resolved" : "opened", String.format("2026-10-%02dT08:00:00.000Z", 1 + i % 28));
    }
    for (int i = 0; i < 12; i++) {
      support.add(ACCOUNT, "case-ja-" + i, "ja", "opened", "2026-09-01T08:00:00.000Z");
    }
    support.add(ACCOUNT, "case-ko-old", "ko", "resolved", "2020-01-01T00:00:00.000Z");
    support.add("222222222222", "case-other", "en", "opened", "2026-09-01T08:00:00.000Z");

    PollReport report = poller.poll(state, PollKind.SWEEP);

    assertThat(report.outcome()).isEqualTo(Outcome.OK);
    assertThat(observedIds(report.pollId())).hasSize(47).doesNotContain("case-ko-old", "case-other");
    // en: 4 pages, ja: 2, zh: 1, ko: 1; plus one AssumeRole.
    assertThat(report.pages()).isEqualTo(8);
    assertThat(report.apiCalls()).isEqualTo(9);
    assertThat(support.caseRequests).allSatisfy(r -> {
      assertThat(r.includeResolvedCases()).isTrue();
      assertThat(r.includeCommunications()).isTrue();
      assertThat(r.maxResults()).isEqualTo(100);
      assertThat(r.afterTime()).isEqualTo("2024-11-26T12:00:00Z");
    });
    assertThat(support.caseRequests).extracting(DescribeCasesRequest::language).containsOnly("en", "ja", "zh", "ko");
    assertThat(report.firstReading()).isTrue();
    assertThat(sink.observations).allMatch(CaseObservation::getFirstReading);
    assertThat(sink.read).containsExactly(ACCOUNT);
    SweepRecord record = sink.sweeps.get(0);
    assertThat(record.getOutcome()).isEqualTo("ok");
    assertThat(record.getCases()).isEqualTo(47);
    assertThat(record.getCollectorId()).isEqualTo("collector-test");
    assertThat(state.openCases()).hasSize(23 + 12);
  }

  @Test
  void secondReadingIsNotFirstAndFastPollAsksOpenCasesOnly() throws Exception {
    support.add(ACCOUNT, "case-1", "en", "opened", "2026-10-01T08:00:00.000Z");
    poller.poll(state, PollKind.SWEEP);
    support.caseRequests.clear();

    PollReport fast = poller.poll(state, PollKind.FAST);

    assertThat(fast.firstReading()).isFalse();
    assertThat(support.caseRequests).hasSize(4).allSatisfy(r -> {
      assertThat(r.includeResolvedCases()).isFalse();
      assertThat(r.includeCommunications()).isTrue();
    });
    assertThat(sink.observations.get(sink.observations.size() - 1).getFirstReading()).isFalse();
  }

  @Test
  void fastPollSeesStatusOnlyChangesAndRereadsCasesThatLeftTheOpenSet() throws Exception {
    support.add(ACCOUNT, "case-a", "en", "opened", "2026-10-01T08:00:00.000Z");
    support.add(ACCOUNT, "case-b", "ja", "opened", "2026-10-02T08:00:00.000Z");
    poller.poll(state, PollKind.SWEEP);

    support.setStatus("case-a", "pending-customer-action");
    support.setStatus("case-b", "resolved");
    support.caseRequests.clear();
    PollReport fast = poller.poll(state, PollKind.FAST);

    List<CaseObservation> seen = sink.observations.stream().filter(o -> o.getPollId().equals(fast.pollId())).toList();
    assertThat(seen).extracting(o -> o.getCaseDetails().getCaseId() + "=" + o.getCaseDetails().getStatus() + "/" + o.getPollKind())
        .containsExactlyInAnyOrder("case-a=pending-customer-action/fast", "case-b=resolved/reread");
    DescribeCasesRequest reread = support.caseRequests.get(support.caseRequests.size() - 1);
    assertThat(reread.caseIdList()).containsExactly("case-b");
    assertThat(reread.language()).isEqualTo("ja");
    assertThat(reread.includeResolvedCases()).isTrue();
    assertThat(state.openCases()).containsOnlyKeys("case-a");
  }

  @Test
  void newAwsReplyArrivesWithTheCaseAndMoreThanFiveNewOnesAreFetched() throws Exception {
    support.add(ACCOUNT, "case-a", "en", "opened", "2026-10-01T08:00:00.000Z",
        communication("first question", "2026-10-01T08:00:00.000Z"));
    poller.poll(state, PollKind.SWEEP);

    FakeSupport.StoredCase c = support.cases.get("case-a");
    c.communications().add(0, communication("AWS answers", "2026-10-01T09:00:00.000Z"));
    PollReport one = poller.poll(state, PollKind.FAST);
    CaseObservation afterOne = sink.observations.stream().filter(o -> o.getPollId().equals(one.pollId())).findFirst().orElseThrow();
    assertThat(afterOne.getCaseDetails().getRecentCommunications().get(0).getBody()).isEqualTo("AWS answers");
    assertThat(support.communicationRequests).isEmpty();

    for (int i = 1; i <= 7; i++) {
      c.communications().add(0, communication("reply " + i, "2026-10-02T0" + i + ":00:00.000Z"));
    }
    PollReport two = poller.poll(state, PollKind.FAST);
    CaseObservation afterTwo = sink.observations.stream().filter(o -> o.getPollId().equals(two.pollId())).findFirst().orElseThrow();
    assertThat(support.communicationRequests).hasSize(1);
    assertThat(support.communicationRequests.get(0).afterTime()).isEqualTo("2026-10-01T09:00:00Z");
    assertThat(afterTwo.getCaseDetails().getRecentCommunications()).extracting(x -> x.getBody())
        .containsExactly("reply 7", "reply 6", "reply 5", "reply 4", "reply 3", "reply 2", "reply 1");
  }

  @Test
  void accountWithoutSupportPlanIsReportedNotFatal() throws Exception {
    support.noSupportPlan.add(ACCOUNT);
    PollReport report = poller.poll(state, PollKind.SWEEP);
    assertThat(report.outcome()).isEqualTo(Outcome.NO_SUPPORT_PLAN);
    assertThat(sink.sweeps.get(0).getOutcome()).isEqualTo("no-support-plan");
    assertThat(sink.sweeps.get(0).getReason()).contains("SubscriptionRequiredException");
    assertThat(sink.read).isEmpty();
  }

  @Test
  void throttlingIsRetriedWithBoundedJitteredBackoffThenReported() throws Exception {
    support.add(ACCOUNT, "case-a", "en", "opened", "2026-10-01T08:00:00.000Z");
    support.throttleNextCalls.put(ACCOUNT, 2);
    PollReport recovered = poller.poll(state, PollKind.SWEEP);
    assertThat(recovered.outcome()).isEqualTo(Outcome.OK);
    assertThat(sleeps).hasSize(2);
    assertThat(sleeps.get(0)).isBetween(Duration.ZERO, Duration.ofMillis(100));
    assertThat(sleeps.get(1)).isBetween(Duration.ZERO, Duration.ofMillis(200));

    support.throttleNextCalls.put(ACCOUNT, 100);
    PollReport given = poller.poll(state, PollKind.SWEEP);
    assertThat(given.outcome()).isEqualTo(Outcome.THROTTLED);
    assertThat(given.reason()).contains("ThrottlingException");
    assertThat(sink.sweeps.get(1).getOutcome()).isEqualTo("throttled");
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "   "})
  void itemWithoutCaseIdIsDeadLetteredAndTheRestOfThePollGoesOn(String missingCaseId) throws Exception {
    support.add(ACCOUNT, "case-newer", "en", "opened", "2026-10-03T08:00:00.000Z");
    support.add(ACCOUNT, "case-keyless", "en", "opened", "2026-10-02T08:00:00.000Z",
        communication("where is my instance?", "2026-10-02T08:00:00.000Z"));
    support.add(ACCOUNT, "case-older", "en", "opened", "2026-10-01T08:00:00.000Z");
    support.editReply("case-keyless", details -> details.caseId(missingCaseId));

    PollReport report = poller.poll(state, PollKind.SWEEP);

    assertThat(report.outcome()).isEqualTo(Outcome.OK);
    // The keyless item comes between the other two on the same page: the one after it is read too.
    assertThat(sink.observations).extracting(o -> o.getCaseDetails().getCaseId()).containsExactly("case-newer", "case-older");
    assertThat(sink.unreadable).hasSize(1);
    UnreadableItem letter = sink.unreadable.get(0);
    assertThat(letter.accountId()).isEqualTo(ACCOUNT);
    assertThat(letter.reason()).isEqualTo("Support DescribeCases item without caseId");
    assertThat(letter.cause()).isNull();
    assertThat(letter.seenAt()).isEqualTo(NOW);
    JsonNode sent = new ObjectMapper().readTree(letter.item());
    assertThat(sent.get("caseId").isNull() ? null : sent.get("caseId").asText()).isEqualTo(missingCaseId);
    assertThat(sent.get("subject").asText()).isEqualTo("subject of case-keyless");
    assertThat(sent.at("/recentCommunications/communications/0/body").asText()).isEqualTo("where is my instance?");
    SweepRecord record = sink.sweeps.get(0);
    assertThat(record.getOutcome()).isEqualTo("ok");
    assertThat(record.getCases()).isEqualTo(2);
    assertThat(sink.read).containsExactly(ACCOUNT);
    assertThat(state.openCases()).containsOnlyKeys("case-newer", "case-older");
  }

  @Test
  void itemTheMappingRefusesIsDeadLetteredWithItsCauseAndStaysOpen() throws Exception {
    support.add(ACCOUNT, "case-newer", "en", "opened", "2026-10-03T08:00:00.000Z");
    support.add(ACCOUNT, "case-odd", "en", "opened", "2026-10-02T08:00:00.000Z");
    support.add(ACCOUNT, "case-older", "en", "opened", "2026-10-01T08:00:00.000Z");
    // The Avro array of cc addresses takes no null.
    support.editReply("case-odd", details -> details.ccEmailAddresses(Arrays.asList("ops@example.com", null)));

    PollReport report = poller.poll(state, PollKind.SWEEP);

    assertThat(report.outcome()).isEqualTo(Outcome.OK);
    assertThat(sink.observations).extracting(o -> o.getCaseDetails().getCaseId()).containsExactly("case-newer", "case-older");
    assertThat(sink.unreadable).hasSize(1);
    UnreadableItem letter = sink.unreadable.get(0);
    assertThat(letter.accountId()).isEqualTo(ACCOUNT);
    assertThat(letter.reason()).isEqualTo("Support DescribeCases item case-odd could not be mapped to a case observation");
    assertThat(letter.cause()).isNotNull();
    JsonNode sent = new ObjectMapper().readTree(letter.item());
    assertThat(sent.get("caseId").asText()).isEqualTo("case-odd");
    assertThat(sent.get("ccEmailAddresses").get(0).asText()).isEqualTo("ops@example.com");
    assertThat(sent.get("ccEmailAddresses").get(1).isNull()).isTrue();
    // Its status is known, so a fast poll does not take it for a case that left the open set.
    assertThat(state.openCases()).containsOnlyKeys("case-newer", "case-odd", "case-older");
  }

  @Test
  void anUnreadableItemIsDeadLetteredOncePerVersionWhileTheOtherCasesArePublishedEveryPoll() throws Exception {
    support.add(ACCOUNT, "case-newer", "en", "opened", "2026-10-03T08:00:00.000Z");
    support.add(ACCOUNT, "case-odd", "en", "opened", "2026-10-02T08:00:00.000Z");
    support.add(ACCOUNT, "case-older", "en", "opened", "2026-10-01T08:00:00.000Z");
    support.editReply("case-odd", details -> details.ccEmailAddresses(Arrays.asList("ops@example.com", null)));

    List<PollReport> reports = new ArrayList<>();
    reports.add(poller.poll(state, PollKind.SWEEP));
    reports.add(poller.poll(state, PollKind.FAST));
    reports.add(poller.poll(state, PollKind.SWEEP));

    assertThat(reports).extracting(PollReport::outcome).containsOnly(Outcome.OK);
    assertThat(sink.unreadable).hasSize(1);
    assertThat(sink.unreadable.get(0).item()).contains("ops@example.com");
    // Each later sighting is still counted.
    assertThat(sink.unreadableAgain).hasSize(2)
        .allSatisfy(again -> assertThat(again.item()).isEqualTo(sink.unreadable.get(0).item()));
    for (PollReport report : reports) {
      assertThat(observedIds(report.pollId())).containsExactlyInAnyOrder("case-newer", "case-older");
    }

    // The item changes: the new version is dead-lettered too, once.
    support.editReply("case-odd", details -> details.ccEmailAddresses(Arrays.asList("oncall@example.com", null)));
    PollReport changed = poller.poll(state, PollKind.FAST);
    poller.poll(state, PollKind.FAST);

    assertThat(sink.unreadable).hasSize(2);
    assertThat(sink.unreadable.get(1).item()).contains("oncall@example.com").doesNotContain("ops@example.com");
    assertThat(sink.unreadableAgain).hasSize(3);
    assertThat(observedIds(changed.pollId())).containsExactlyInAnyOrder("case-newer", "case-older");
  }

  @Test
  void keylessItemsAreToldApartByTheirContent() throws Exception {
    support.add(ACCOUNT, "case-a", "en", "opened", "2026-10-03T08:00:00.000Z");
    support.add(ACCOUNT, "case-b", "en", "opened", "2026-10-02T08:00:00.000Z");
    support.editReply("case-a", details -> details.caseId(null));
    support.editReply("case-b", details -> details.caseId(null));

    poller.poll(state, PollKind.SWEEP);
    poller.poll(state, PollKind.SWEEP);

    assertThat(sink.unreadable).extracting(UnreadableItem::item)
        .hasSize(2).anySatisfy(item -> assertThat(item).contains("subject of case-a"))
        .anySatisfy(item -> assertThat(item).contains("subject of case-b"));
    assertThat(sink.unreadableAgain).hasSize(2);
  }

  @Test
  void aDeadLetterThatWasNotStoredIsSentAgainAtTheNextSighting() throws Exception {
    support.add(ACCOUNT, "case-odd", "en", "opened", "2026-10-02T08:00:00.000Z");
    support.editReply("case-odd", details -> details.ccEmailAddresses(Arrays.asList("ops@example.com", null)));
    sink.failNextUnreadable = 1;

    PollReport failed = poller.poll(state, PollKind.SWEEP);
    PollReport retried = poller.poll(state, PollKind.SWEEP);
    poller.poll(state, PollKind.SWEEP);

    assertThat(failed.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(retried.outcome()).isEqualTo(Outcome.OK);
    assertThat(sink.unreadable).hasSize(1);
    assertThat(sink.unreadableAgain).hasSize(1);
  }

  /** A poller as a collector process has it, with the dead-letter log of its compacted topic. */
  private AccountPoller pollerWithDeadLetterLog() {
    CallRunner calls = new CallRunner(new RateLimits(1000, 1000, 1000), new CollectorMetrics(new SimpleMeterRegistry()),
        4, Duration.ofMillis(100), Duration.ofSeconds(2), new Random(7), sleeps::add);
    return new AccountPoller(support, calls, sink, sink, Clock.fixed(NOW, ZoneOffset.UTC), List.of("en"), Duration.ofDays(730),
        "collector-test", null, null, sink);
  }

  @Test
  void anItemDeadLetteredBeforeARestartIsOnlyCountedAfterItUntilItChanges() throws Exception {
    support.add(ACCOUNT, "case-newer", "en", "opened", "2026-10-03T08:00:00.000Z");
    support.add(ACCOUNT, "case-odd", "en", "opened", "2026-10-02T08:00:00.000Z");
    support.editReply("case-odd", details -> details.ccEmailAddresses(Arrays.asList("ops@example.com", null)));

    pollerWithDeadLetterLog().poll(new AccountState(ACCOUNT), PollKind.SWEEP);

    assertThat(sink.unreadable).hasSize(1);
    assertThat(sink.deadLetterLog).hasSize(1).allSatisfy((key, at) -> {
      assertThat(key).matches(ACCOUNT + ":case-odd:[0-9a-f]{64}");
      assertThat(at).isEqualTo(NOW);
    });

    // A restart: a new poller and a new, empty state of the account; only the log is left.
    AccountPoller restarted = pollerWithDeadLetterLog();
    AccountState fresh = new AccountState(ACCOUNT);
    PollReport again = restarted.poll(fresh, PollKind.SWEEP);
    restarted.poll(fresh, PollKind.FAST);

    assertThat(again.outcome()).isEqualTo(Outcome.OK);
    assertThat(sink.unreadable).hasSize(1);
    assertThat(sink.unreadableAgain).hasSize(2);
    assertThat(observedIds(again.pollId())).containsExactly("case-newer");
    // The answer of the log is kept in the state: later sightings need not ask it.
    assertThat(fresh.deadLettered.size()).isEqualTo(1);

    support.editReply("case-odd", details -> details.ccEmailAddresses(Arrays.asList("oncall@example.com", null)));
    restarted.poll(fresh, PollKind.FAST);

    assertThat(sink.unreadable).hasSize(2);
    assertThat(sink.unreadable.get(1).item()).contains("oncall@example.com");
    assertThat(sink.deadLetterLog).hasSize(2);
  }

  @Test
  void theLogIsToldOfADeadLetterOnlyOnceItIsStored() throws Exception {
    support.add(ACCOUNT, "case-odd", "en", "opened", "2026-10-02T08:00:00.000Z");
    support.editReply("case-odd", details -> details.ccEmailAddresses(Arrays.asList("ops@example.com", null)));
    sink.failNextUnreadable = 1;
    AccountPoller poller = pollerWithDeadLetterLog();

    poller.poll(state, PollKind.SWEEP);

    assertThat(sink.unreadable).isEmpty();
    assertThat(sink.deadLetterLog).isEmpty();

    // Not stored, not logged: a restarted collector sends it, and logs it once stored.
    pollerWithDeadLetterLog().poll(new AccountState(ACCOUNT), PollKind.SWEEP);

    assertThat(sink.unreadable).hasSize(1);
    assertThat(sink.deadLetterLog).hasSize(1);
  }

  @Test
  void withoutALogEachProcessDeadLettersAnItemOnce() throws Exception {
    support.add(ACCOUNT, "case-odd", "en", "opened", "2026-10-02T08:00:00.000Z");
    support.editReply("case-odd", details -> details.ccEmailAddresses(Arrays.asList("ops@example.com", null)));

    poller.poll(state, PollKind.SWEEP);
    poller.poll(new AccountState(ACCOUNT), PollKind.SWEEP);

    assertThat(sink.unreadable).hasSize(2);
    assertThat(sink.deadLetterLog).isEmpty();
  }
}
