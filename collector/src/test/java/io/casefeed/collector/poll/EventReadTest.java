package io.casefeed.collector.poll;

import static io.casefeed.collector.poll.FakeSupport.communication;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.casefeed.collector.metrics.CollectorMetrics;
import io.casefeed.collector.ratelimit.RateLimits;
import io.casefeed.schema.CaseObservation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.support.model.DescribeCasesRequest;

/** The event read of announced cases, and the polls counting what no event announced. */
class EventReadTest {

  static final String ACCOUNT = "111111111111";
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  FakeSupport support;
  MemorySink sink;
  List<String> missed;
  AccountPoller poller;
  AccountState state;
  SimpleMeterRegistry meters;
  CollectorMetrics metrics;
  CallRunner calls;

  @BeforeEach
  void setUp() {
    support = new FakeSupport();
    sink = new MemorySink();
    missed = new CopyOnWriteArrayList<>();
    meters = new SimpleMeterRegistry();
    metrics = new CollectorMetrics(meters);
    calls = new CallRunner(new RateLimits(1000, 1000, 1000), metrics, 4, Duration.ofMillis(100), Duration.ofSeconds(2),
        new Random(7), pause -> {});
    poller = new AccountPoller(support, calls, sink, sink, Clock.fixed(NOW, ZoneOffset.UTC), List.of("en", "ja", "zh", "ko"),
        Duration.ofDays(730), "collector-test", (account, caseId, change) -> missed.add(caseId + ":" + change), null);
    state = new AccountState(ACCOUNT);
  }

  private List<CaseObservation> observationsOf(PollReport report) {
    return sink.observations.stream().filter(o -> o.getPollId().equals(report.pollId())).toList();
  }

  @Test
  void aKnownCaseIsReadByIdInItsLanguageAndTheObservationCarriesTheEvent() throws Exception {
    support.add(ACCOUNT, "case-ja", "ja", "opened", "2026-10-01T08:00:00.000Z");
    support.add(ACCOUNT, "case-en", "en", "opened", "2026-10-02T08:00:00.000Z");
    poller.poll(state, PollKind.SWEEP);
    support.cases.get("case-ja").communications().add(0, communication("AWS answers", "2026-11-26T11:59:00.000Z"));
    support.caseRequests.clear();

    PollReport report = poller.readAnnounced(state, Map.of("case-ja", "event-1"));

    assertThat(report.outcome()).isEqualTo(Outcome.OK);
    assertThat(report.kind()).isEqualTo(PollKind.EVENT);
    assertThat(support.caseRequests).singleElement().satisfies(r -> {
      assertThat(r.caseIdList()).containsExactly("case-ja");
      assertThat(r.language()).isEqualTo("ja");
      assertThat(r.includeResolvedCases()).isTrue();
      assertThat(r.includeCommunications()).isTrue();
    });
    assertThat(observationsOf(report)).singleElement().satisfies(o -> {
      assertThat(o.getPollKind()).isEqualTo("event");
      assertThat(o.getEventId()).isEqualTo("event-1");
      assertThat(o.getFirstReading()).isFalse();
      assertThat(o.getCaseDetails().getRecentCommunications().get(0).getBody()).isEqualTo("AWS answers");
    });
    assertThat(sink.sweeps.get(sink.sweeps.size() - 1).getPollKind()).isEqualTo("event");
    assertThat(missed).as("event reads are never missed events").isEmpty();
  }

  @Test
  void aCaseNotSeenBeforeIsLookedForLanguageByLanguageAndItsLanguageIsRemembered() throws Exception {
    poller.poll(state, PollKind.SWEEP);
    support.add(ACCOUNT, "case-new", "zh", "opened", "2026-11-26T11:59:00.000Z");
    support.caseRequests.clear();

    PollReport first = poller.readAnnounced(state, Map.of("case-new", "event-1"));

    assertThat(support.caseRequests).extracting(DescribeCasesRequest::language).containsExactly("en", "ja", "zh");
    assertThat(observationsOf(first)).extracting(o -> o.getCaseDetails().getCaseId()).containsExactly("case-new");
    assertThat(state.openCases()).containsEntry("case-new", "zh");

    support.setStatus("case-new", "resolved");
    support.caseRequests.clear();
    PollReport second = poller.readAnnounced(state, Map.of("case-new", "event-2"));

    assertThat(support.caseRequests).extracting(DescribeCasesRequest::language).containsExactly("zh");
    assertThat(observationsOf(second)).singleElement().satisfies(o -> {
      assertThat(o.getCaseDetails().getStatus()).isEqualTo("resolved");
      assertThat(o.getEventId()).isEqualTo("event-2");
    });
    assertThat(state.openCases()).doesNotContainKey("case-new");
  }

  @Test
  void pollsCountTheAnnounceableChangesNoEventAnnouncedAndNothingElse() throws Exception {
    support.add(ACCOUNT, "case-reply", "en", "opened", "2026-10-01T08:00:00.000Z",
        communication("question", "2026-10-01T08:00:00.000Z"));
    support.add(ACCOUNT, "case-status", "en", "opened", "2026-10-02T08:00:00.000Z");
    support.add(ACCOUNT, "case-resolve", "ja", "opened", "2026-10-03T08:00:00.000Z");
    support.add(ACCOUNT, "case-announced", "en", "opened", "2026-10-04T08:00:00.000Z");
    support.add(ACCOUNT, "case-read", "en", "opened", "2026-10-05T08:00:00.000Z");
    poller.poll(state, PollKind.SWEEP);
    assertThat(missed).as("the first reading is no news").isEmpty();

    support.cases.get("case-reply").communications().add(0, communication("AWS answers", "2026-10-01T09:00:00.000Z"));
    support.setStatus("case-status", "pending-customer-action");
    support.setStatus("case-resolve", "resolved");
    support.setStatus("case-announced", "resolved");
    support.setStatus("case-read", "resolved");
    support.add(ACCOUNT, "case-created", "ko", "opened", "2026-11-26T11:00:00.000Z");
    // One change was announced and already read; one is announced and waits for its read.
    poller.readAnnounced(state, Map.of("case-read", "event-read"));
    state.announced.put("case-announced", "event-waiting");

    poller.poll(state, PollKind.FAST);

    assertThat(missed).containsExactlyInAnyOrder("case-reply:communication", "case-resolve:resolved", "case-created:created");

    missed.clear();
    support.setStatus("case-resolve", "reopened");
    poller.poll(state, PollKind.SWEEP);
    assertThat(missed).containsExactly("case-resolve:reopened");
  }

  @Test
  void eventsForOneCaseWithinTheWindowAndRepeatedEventIdsMakeOneRead() throws Exception {
    support.add(ACCOUNT, "case-a", "en", "opened", "2026-10-01T08:00:00.000Z");
    support.add(ACCOUNT, "case-b", "en", "opened", "2026-10-02T08:00:00.000Z");
    AccountPoller realTime = new AccountPoller(support, calls, sink, sink, Clock.systemUTC(), List.of("en"),
        Duration.ofDays(730), "collector-test", (account, caseId, change) -> missed.add(caseId + ":" + change), null);
    try (PollScheduler scheduler = new PollScheduler(realTime, sink, Clock.systemUTC(), Duration.ofHours(1), Duration.ofHours(1),
        Duration.ofMillis(300), 2, metrics)) {
      scheduler.own(List.of(ACCOUNT));
      scheduler.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> sink.sweeps.size() == 1);
      support.caseRequests.clear();

      List<Boolean> taken = new ArrayList<>();
      taken.add(scheduler.announce(ACCOUNT, "case-a", "event-1"));
      taken.add(scheduler.announce(ACCOUNT, "case-a", "event-1"));
      taken.add(scheduler.announce(ACCOUNT, "case-a", "event-2"));
      taken.add(scheduler.announce(ACCOUNT, "case-b", "event-3"));

      await().atMost(Duration.ofSeconds(10)).until(() -> sink.sweeps.size() == 2);
      assertThat(taken).containsExactly(true, false, true, true);
      assertThat(support.caseRequests).singleElement().satisfies(r -> assertThat(r.caseIdList()).containsExactlyInAnyOrder("case-a", "case-b"));
      assertThat(sink.observations.subList(sink.observations.size() - 2, sink.observations.size()))
          .extracting(o -> o.getCaseDetails().getCaseId() + "/" + o.getEventId())
          .containsExactlyInAnyOrder("case-a/event-2", "case-b/event-3");

      // A repeat long after the read (SQS handing a message out again) makes no read either.
      assertThat(scheduler.announce(ACCOUNT, "case-a", "event-1")).isFalse();
      assertThat(meters.counter("casefeed.collector.events.repeated", "account", ACCOUNT).count()).isEqualTo(2.0);
      assertThat(state.announcedCases()).isEmpty();
    }
  }
}
