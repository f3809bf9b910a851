package io.casefeed.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.bench.soak.SoakAccounting.FeedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SoakAccountingTest {

  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  private static final Duration OBSERVABLE = Duration.ofSeconds(10);
  private static final String CASE = "111111111111:case-1";

  private final SoakAccounting accounting = new SoakAccounting();

  private static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  private static FeedEvent event(String id, long version, String fingerprint, long observedSecond, long receivedSecond) {
    return new FeedEvent(id, version, fingerprint, at(observedSecond), at(receivedSecond));
  }

  @Test
  void everyChangeOnTheFeedAndInS3IsNeitherLostNorDuplicatedAndItsLatenciesAreMeasured() {
    accounting.change(CASE, "opened", at(0));
    accounting.change(CASE, "resolved", at(30));
    accounting.feedEvent(CASE, event("e1", 1, "opened", 3, 4));
    accounting.feedEvent(CASE, event("e2", 2, "resolved", 36, 38));
    accounting.s3Object("key-e1", List.of("e1"), at(10));
    accounting.s3Object("key-e2", List.of("e2"), at(50));

    SoakAccounting.Result result = accounting.result(at(60), OBSERVABLE);

    assertThat(result.changes()).isEqualTo(2);
    assertThat(result.required()).isEqualTo(2);
    assertThat(result.lost()).isZero();
    assertThat(result.duplicated()).isZero();
    assertThat(result.feed().count()).isEqualTo(2);
    assertThat(result.feed().p50()).isEqualTo(4_000);
    assertThat(result.feed().max()).isEqualTo(8_000);
    assertThat(result.s3().max()).isEqualTo(20_000);
    assertThat(result.examples()).isEmpty();
  }

  @Test
  void aStateThatLastedLongEnoughButNeverArrivedIsLostAndAShortOneIsNot() {
    accounting.change(CASE, "opened", at(0));
    accounting.change(CASE, "pending", at(20));
    accounting.change(CASE, "wip", at(22));
    accounting.change(CASE, "resolved", at(40));
    accounting.feedEvent(CASE, event("e1", 1, "resolved", 45, 46));
    accounting.s3Object("key-e1", List.of("e1"), at(50));

    SoakAccounting.Result result = accounting.result(at(60), OBSERVABLE);

    assertThat(result.required()).isEqualTo(3);
    assertThat(result.lostOnFeed()).as("opened and wip lasted 10 s or more; pending lasted 2 s").isEqualTo(2);
    assertThat(result.examples()).anyMatch(e -> e.contains("opened")).anyMatch(e -> e.contains("wip"))
        .noneMatch(e -> e.contains("pending"));
  }

  @Test
  void aRepeatedVersionARepeatedStateAndASecondS3RowAreDuplicates() {
    accounting.change(CASE, "opened", at(0));
    accounting.feedEvent(CASE, event("e1", 1, "opened", 3, 4));
    accounting.feedEvent(CASE, event("e1", 1, "opened", 3, 5));
    accounting.feedEvent(CASE, event("e2", 2, "opened", 9, 10));
    accounting.s3Object("p0-100", List.of("e1"), at(10));
    accounting.s3Object("p0-101", List.of("e1", "e2"), at(12));

    SoakAccounting.Result result = accounting.result(at(60), OBSERVABLE);

    // Version 1 twice; state "opened" again at a later observation; e1 written twice to S3.
    assertThat(result.duplicated()).isEqualTo(3);
    assertThat(result.lost()).isZero();
  }

  @Test
  void eventsOfOneObservationEndingInOneStateAreOneStateNotADuplicate() {
    accounting.change(CASE, "pending|reply", at(0));
    accounting.feedEvent(CASE, event("e1", 1, "pending|reply", 2, 3));
    accounting.feedEvent(CASE, event("e2", 2, "pending|reply", 2, 3));
    accounting.s3Object("p0-100", List.of("e1", "e2"), at(9));

    SoakAccounting.Result result = accounting.result(at(60), OBSERVABLE);

    assertThat(result.duplicated()).isZero();
    assertThat(result.lost()).isZero();
    assertThat(result.feed().count()).isEqualTo(1);
  }

  @Test
  void aFeedEventNoS3ObjectHoldsIsLostInS3() {
    accounting.change(CASE, "opened", at(0));
    accounting.feedEvent(CASE, event("e1", 1, "opened", 3, 4));

    SoakAccounting.Result result = accounting.result(at(60), OBSERVABLE);

    assertThat(result.lostOnFeed()).isZero();
    assertThat(result.lostInS3()).isEqualTo(1);
    assertThat(result.s3().count()).isZero();
  }

  @Test
  void aChangeThatLeavesTheFingerprintAsItWasIsNoChangeAndAnEarlierEqualStateDoesNotMatch() {
    accounting.change(CASE, "wip", at(0));
    accounting.change(CASE, "wip", at(5));
    // The feed had "wip" from before the window (received before the change): it cannot be this change.
    accounting.feedEvent(CASE, event("old", 1, "wip", -100, -99));
    accounting.s3Object("key-old", List.of("old"), at(-90));

    SoakAccounting.Result result = accounting.result(at(60), OBSERVABLE);

    assertThat(result.changes()).isEqualTo(1);
    assertThat(result.lostOnFeed()).isEqualTo(1);
  }

  @Test
  void aChangeToHowTheCaseLookedWhenMeasuringBeganIsNoChange() {
    accounting.initially(CASE, "unassigned|critical");
    accounting.change(CASE, "unassigned|critical", at(5));
    accounting.initially(CASE, "ignored once the case changed");
    accounting.change(CASE, "resolved|critical", at(10));
    accounting.feedEvent(CASE, event("e1", 2, "resolved|critical", 12, 13));
    accounting.s3Object("key-e1", List.of("e1"), at(20));

    SoakAccounting.Result result = accounting.result(at(60), OBSERVABLE);

    assertThat(result.changes()).isEqualTo(1);
    assertThat(result.lost()).isZero();
  }

  @Test
  void anObjectRewrittenUnderItsKeyCountsOnceAndAnObjectGoneNoMore() {
    accounting.change(CASE, "opened", at(0));
    accounting.change(CASE, "resolved", at(30));
    accounting.feedEvent(CASE, event("e1", 1, "opened", 3, 4));
    accounting.feedEvent(CASE, event("e2", 2, "resolved", 33, 34));
    // A replay wrote the key again with fewer rows; the rest went into the next object.
    accounting.s3Object("p0-100", List.of("e1", "e2"), at(10));
    accounting.s3Object("p0-100", List.of("e1"), at(40));
    accounting.s3Object("p0-101", List.of("e2"), at(41));
    accounting.s3Object("p0-temp", List.of("e2"), at(41));
    accounting.s3ObjectGone("p0-temp");

    SoakAccounting.Result result = accounting.result(at(60), OBSERVABLE);

    assertThat(result.duplicated()).isZero();
    assertThat(result.lost()).isZero();
    assertThat(accounting.rewrittenObjects()).isEqualTo(1);
    assertThat(accounting.s3Rows()).isEqualTo(2);
    assertThat(result.s3().max()).as("first seen at 10 s").isEqualTo(10_000);
  }

  @Test
  void theChangesAnEventAnnouncedAreMeasuredApartAndTheOthersOnlyInTheWholeFeed() {
    accounting.change(CASE, "opened", at(0));
    accounting.change(CASE, "pending", at(20));
    accounting.change(CASE, "replied", at(40));
    accounting.feedEvent(CASE, event("e1", 1, "opened", 1, 1));
    accounting.feedEvent(CASE, event("e2", 2, "pending", 29, 30));
    accounting.feedEvent(CASE, event("e3", 3, "replied", 42, 42));
    List.of("e1", "e2", "e3").forEach(id -> accounting.s3Object("key-" + id, List.of(id), at(50)));
    // AWS sends an event for a new case and for a reply, none for a status move.
    Set<Instant> announced = Set.of(at(0), at(40));

    SoakAccounting.Result result = accounting.result(at(60), OBSERVABLE, (caseKey, when) -> CASE.equals(caseKey) && announced.contains(when));

    assertThat(result.feed().count()).isEqualTo(3);
    assertThat(result.feed().max()).as("the status move, found by a poll").isEqualTo(10_000);
    assertThat(result.announcedFeed().count()).isEqualTo(2);
    assertThat(result.announcedFeed().max()).isEqualTo(2_000);
    assertThat(accounting.result(at(60), OBSERVABLE).announcedFeed().count()).as("without events").isZero();
  }

  @Test
  void percentilesAreNearestRank() {
    SoakAccounting.Latencies latencies = SoakAccounting.Latencies.of(List.of(5L, 1L, 4L, 2L, 3L, 100L, 6L, 7L, 8L, 9L));
    assertThat(latencies.p50()).isEqualTo(5);
    assertThat(latencies.p99()).isEqualTo(100);
    assertThat(latencies.max()).isEqualTo(100);
    assertThat(SoakAccounting.Latencies.of(List.of()).count()).isZero();
  }
}
