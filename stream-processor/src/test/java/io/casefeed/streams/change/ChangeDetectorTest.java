package io.casefeed.streams.change;

import static io.casefeed.streams.testing.Cases.T0;
import static io.casefeed.streams.testing.Cases.aws;
import static io.casefeed.streams.testing.Cases.customer;
import static io.casefeed.streams.testing.Cases.details;
import static io.casefeed.streams.testing.Cases.newestFirst;
import static io.casefeed.streams.testing.Cases.observation;
import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeDetectorTest {

  private static final String ACCOUNT = "111111111111";
  private static final String CASE = "case-111111111111-muen-2026-0001";

  private final CaseDetails opened = details(ACCOUNT, CASE).build();

  private CaseState seen(CaseDetails details, Instant at) {
    return ChangeDetector.detect(null, observation(details, at)).state();
  }

  private static List<String> types(Detection detection) {
    return detection.changes().stream().map(CaseChange::getChangeType).toList();
  }

  @Test
  void firstSightOpensTheCaseAtVersionOne() {
    Detection detection = ChangeDetector.detect(null, observation(opened, T0));

    assertThat(types(detection)).containsExactly("CASE_OPENED");
    CaseChange change = detection.changes().get(0);
    assertThat(change.getVersion()).isEqualTo(1);
    assertThat(change.getPrevious()).isNull();
    assertThat(change.getCurrent()).isEqualTo(opened);
    assertThat(change.getBackfill()).isFalse();
    assertThat(detection.state().getFirstSeenAt()).isEqualTo(T0);
    assertThat(detection.state().getVersion()).isEqualTo(1);
  }

  @Test
  void firstReadingMarksTheCaseAndItsLaterChangesAsBackfill() {
    Detection first = ChangeDetector.detect(null, observation(opened, T0, true));
    Detection later = ChangeDetector.detect(first.state(),
        observation(details(ACCOUNT, CASE).setSeverityCode("high").build(), T0.plusSeconds(60), false));

    assertThat(first.changes().get(0).getBackfill()).isTrue();
    assertThat(first.state().getBackfill()).isTrue();
    assertThat(later.changes().get(0).getBackfill()).isTrue();
  }

  @Test
  void identicalObservationChangesNothing() {
    CaseState state = seen(opened, T0);

    Detection repeat = ChangeDetector.detect(state, observation(details(ACCOUNT, CASE).build(), T0.plusSeconds(60)));

    assertThat(repeat.changed()).isFalse();
    assertThat(repeat.state()).isSameAs(state);
  }

  @Test
  void statusSeverityAndFieldChangesEachMakeOneEventWithConsecutiveVersions() {
    CaseState state = seen(opened, T0);
    CaseDetails moved = details(ACCOUNT, CASE)
        .setStatus("work-in-progress").setSeverityCode("urgent").setSubject("All instances unreachable")
        .setCcEmailAddresses(List.of("boss@example.com")).build();

    Detection detection = ChangeDetector.detect(state, observation(moved, T0.plusSeconds(60)));

    assertThat(types(detection)).containsExactly("STATUS_CHANGED", "SEVERITY_CHANGED", "FIELDS_CHANGED");
    assertThat(detection.changes()).extracting(CaseChange::getVersion).containsExactly(2L, 3L, 4L);
    assertThat(detection.changes().get(2).getChangedFields()).containsExactly("subject", "ccEmailAddresses");
    assertThat(detection.changes().get(0).getPrevious()).isEqualTo(opened);
    assertThat(detection.changes().get(0).getCurrent()).isEqualTo(moved);
    assertThat(detection.state().getVersion()).isEqualTo(4);
    assertThat(detection.state().getLastChangeType()).isEqualTo("FIELDS_CHANGED");
  }

  @Test
  void ccListInAnotherOrderIsNoChange() {
    CaseState state = seen(details(ACCOUNT, CASE).setCcEmailAddresses(List.of("a@x.com", "b@x.com")).build(), T0);

    Detection detection = ChangeDetector.detect(state,
        observation(details(ACCOUNT, CASE).setCcEmailAddresses(List.of("b@x.com", "a@x.com")).build(), T0.plusSeconds(5)));

    assertThat(detection.changed()).isFalse();
  }

  @Test
  void resolutionAndReopeningAreTheirOwnChangeTypes() {
    CaseState state = seen(opened, T0);
    Detection resolved = ChangeDetector.detect(state, observation(details(ACCOUNT, CASE).setStatus("resolved").build(), T0.plusSeconds(3600)));
    Detection reopened = ChangeDetector.detect(resolved.state(),
        observation(details(ACCOUNT, CASE).setStatus("reopened").build(), T0.plusSeconds(7200)));

    assertThat(types(resolved)).containsExactly("CASE_RESOLVED");
    assertThat(resolved.state().getResolvedAt()).isEqualTo(T0.plusSeconds(3600));
    assertThat(resolved.state().getTimeToResolveMs()).isEqualTo(Duration.ofMinutes(65).toMillis());
    assertThat(types(reopened)).containsExactly("CASE_REOPENED");
    assertThat(reopened.state().getResolvedAt()).isNull();
    assertThat(reopened.state().getTimeToResolveMs()).isNull();
    assertThat(reopened.state().getReopenCount()).isEqualTo(1);
  }

  @Test
  void newCommunicationsSayWhoWroteThemOldestFirst() {
    Instant awsReply = T0.plusSeconds(600);
    Instant customerReply = T0.plusSeconds(900);
    CaseState state = seen(details(ACCOUNT, CASE).setRecentCommunications(newestFirst(customer("help", T0))).build(), T0);

    Detection detection = ChangeDetector.detect(state, observation(details(ACCOUNT, CASE)
        .setRecentCommunications(newestFirst(customer("help", T0), aws("looking", awsReply), customer("thanks", customerReply))).build(),
        T0.plusSeconds(1000)));

    assertThat(types(detection)).containsExactly("COMMUNICATION_ADDED", "COMMUNICATION_ADDED");
    assertThat(detection.changes()).extracting(CaseChange::getCommunicationAuthor).containsExactly("AWS", "CUSTOMER");
    assertThat(detection.state().getFirstAwsResponseAt()).isEqualTo(awsReply);
    // Case created at 07:55, AWS answered at 08:10.
    assertThat(detection.state().getTimeToFirstAwsResponseMs()).isEqualTo(Duration.ofMinutes(15).toMillis());
    assertThat(detection.state().getLastCustomerActionAt()).isEqualTo(customerReply);
  }

  @Test
  void onlyCommunicationsNewerThanTheSeenWindowCount() {
    CaseState state = seen(details(ACCOUNT, CASE).setRecentCommunications(newestFirst(
        customer("one", T0.plusSeconds(1)), aws("two", T0.plusSeconds(2)), customer("three", T0.plusSeconds(3)))).build(), T0.plusSeconds(5));

    // AWS now returns one new message, drops "one" and includes an older one that had scrolled out before.
    Detection detection = ChangeDetector.detect(state, observation(details(ACCOUNT, CASE).setRecentCommunications(newestFirst(
        aws("two", T0.plusSeconds(2)), customer("three", T0.plusSeconds(3)), aws("four", T0.plusSeconds(4)),
        customer("zero", T0))).build(), T0.plusSeconds(10)));

    assertThat(types(detection)).containsExactly("COMMUNICATION_ADDED");
    assertThat(detection.changes().get(0).getCommunicationAuthor()).isEqualTo("AWS");
  }

  @Test
  void olderObservationArrivingLateNeverRollsBack() {
    CaseState opened = seen(this.opened, T0);
    Detection resolved = ChangeDetector.detect(opened, observation(details(ACCOUNT, CASE).setStatus("resolved").build(), T0.plusSeconds(120)));

    Detection late = ChangeDetector.detect(resolved.state(),
        observation(details(ACCOUNT, CASE).setStatus("work-in-progress").build(), T0.plusSeconds(60)));

    assertThat(late.changed()).isFalse();
    assertThat(late.state().getCaseDetails().getStatus()).isEqualTo("resolved");
    assertThat(late.state().getVersion()).isEqualTo(2);
  }

  @Test
  void eventIdsAreDeterministicAndDistinct() {
    Detection first = ChangeDetector.detect(null, observation(opened, T0));
    Detection replay = ChangeDetector.detect(null, observation(opened, T0));
    Detection resolved = ChangeDetector.detect(first.state(), observation(details(ACCOUNT, CASE).setStatus("resolved").build(), T0.plusSeconds(1)));

    assertThat(replay.changes().get(0).getEventId()).isEqualTo(first.changes().get(0).getEventId());
    assertThat(resolved.changes().get(0).getEventId()).isNotEqualTo(first.changes().get(0).getEventId());
  }

  @Test
  void waitingOnCustomerRunsFromPendingUntilTheCustomerActs() {
    CaseState state = seen(opened, T0);
    Instant pendingAt = T0.plusSeconds(300);
    Detection pending = ChangeDetector.detect(state,
        observation(details(ACCOUNT, CASE).setStatus("pending-customer-action").build(), pendingAt));
    Detection stillPending = ChangeDetector.detect(pending.state(), observation(details(ACCOUNT, CASE)
        .setStatus("pending-customer-action").setSeverityCode("high").build(), pendingAt.plusSeconds(300)));
    Instant completedAt = pendingAt.plusSeconds(900);
    Detection completed = ChangeDetector.detect(stillPending.state(), observation(details(ACCOUNT, CASE)
        .setStatus("customer-action-completed").setSeverityCode("high").build(), completedAt));

    assertThat(pending.state().getWaitingOnCustomerSince()).isEqualTo(pendingAt);
    assertThat(stillPending.state().getWaitingOnCustomerSince()).isEqualTo(pendingAt);
    assertThat(completed.state().getWaitingOnCustomerSince()).isNull();
    assertThat(completed.state().getLastCustomerActionAt()).isEqualTo(completedAt);
  }

  @Test
  void aCaseFirstSeenResolvedWithoutCommunicationsIsResolvedFromThatSight() {
    Detection detection = ChangeDetector.detect(null, observation(details(ACCOUNT, CASE).setStatus("resolved").build(), T0, true));

    assertThat(types(detection)).containsExactly("CASE_OPENED");
    assertThat(detection.state().getResolvedAt()).isEqualTo(T0);
    assertThat(detection.state().getTimeToResolveMs()).isEqualTo(Duration.ofMinutes(5).toMillis());
  }

  @Test
  void aCaseFirstSeenResolvedIsResolvedAtItsNewestCommunicationNotOnTheDayCasefeedStarted() {
    Instant created = T0.minus(Duration.ofDays(200));
    Instant lastReply = T0.minus(Duration.ofDays(197));
    Detection detection = ChangeDetector.detect(null, observation(details(ACCOUNT, CASE).setStatus("resolved")
        .setRecentCommunications(newestFirst(customer("help", created), aws("fixed, closing", lastReply))).build(), T0, true));

    assertThat(detection.state().getResolvedAt()).isEqualTo(lastReply);
  }
}
