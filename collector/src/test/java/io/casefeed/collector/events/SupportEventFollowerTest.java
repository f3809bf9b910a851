package io.casefeed.collector.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.collector.accounts.AccountAssignment.Membership;
import io.casefeed.schema.SupportEvent;
import io.casefeed.schemas.registry.InMemorySchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the owner does with each record of casefeed.support-events, without a broker. */
class SupportEventFollowerTest {

  static final String TOPIC = "casefeed.support-events";
  static final String FOLLOWED = "111111111111";
  static final String STRANGER = "999999999999";
  static final String ELSEWHERE = "222222222222";
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  final List<String> announced = new ArrayList<>();
  final List<String> rejected = new ArrayList<>();
  AvroSerde<SupportEvent> serde;
  SupportEventFollower follower;

  @BeforeEach
  void setUp() {
    serde = new AvroSerde<>(SupportEvent.class, new InMemorySchemaRegistryClient());
    SupportEventFollower.Accounts accounts = new SupportEventFollower.Accounts() {
      @Override
      public Set<Integer> loadedPartitions() {
        return Set.of(3);
      }

      @Override
      public Membership membership(int partition, String accountId) {
        if (accountId.equals(ELSEWHERE)) {
          return Membership.NOT_HERE;
        }
        return accountId.equals(FOLLOWED) ? Membership.FOLLOWED : Membership.NOT_FOLLOWED;
      }
    };
    // The consumer is made but never connects: handle() is called directly.
    follower = new SupportEventFollower(Map.of("bootstrap.servers", "127.0.0.1:9"), "g", "c", TOPIC, serde, accounts,
        (account, caseId, eventId) -> announced.add(account + "/" + caseId + "/" + eventId),
        (record, account, reason, cause) -> rejected.add(account + ": " + reason),
        Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(15), pause -> {});
  }

  @AfterEach
  void tearDown() {
    follower.close();
  }

  private SupportEvent event(String account, String caseId, Instant received) {
    return SupportEvent.newBuilder().setEventId("ev-" + caseId).setAccountId(account).setCaseId(caseId)
        .setEventName("AddCommunicationToCase").setRegion("us-east-1").setEventTime(received).setReceivedAt(received).build();
  }

  private ConsumerRecord<byte[], byte[]> record(String key, byte[] value) {
    return new ConsumerRecord<>(TOPIC, 3, 42L, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
  }

  private ConsumerRecord<byte[], byte[]> record(SupportEvent event) {
    return record(event.getAccountId(), serde.serialize(TOPIC, event));
  }

  @Test
  void anEventOfAFollowedAccountAnnouncesItsCase() {
    assertThat(follower.handle(record(event(FOLLOWED, "case-1", NOW)))).isTrue();
    assertThat(announced).containsExactly(FOLLOWED + "/case-1/ev-case-1");
    assertThat(rejected).isEmpty();
  }

  @Test
  void anEventOfAnAccountNotFollowedIsDeadLetteredWithTheReason() {
    assertThat(follower.handle(record(event(STRANGER, "case-1", NOW)))).isTrue();
    assertThat(announced).isEmpty();
    assertThat(rejected).containsExactly(STRANGER + ": account " + STRANGER
        + " is not followed by casefeed (no record in partition 3 of casefeed.accounts)");
  }

  @Test
  void anEventOfAPartitionThatMovedAwayIsLeftForTheNewOwner() {
    assertThat(follower.handle(record(event(ELSEWHERE, "case-1", NOW)))).isFalse();
    assertThat(announced).isEmpty();
    assertThat(rejected).isEmpty();
  }

  @Test
  void unreadableAndMiskeyedRecordsAreDeadLettered() {
    assertThat(follower.handle(record(FOLLOWED, "not avro".getBytes(StandardCharsets.UTF_8)))).isTrue();
    assertThat(follower.handle(record(STRANGER, serde.serialize(TOPIC, event(FOLLOWED, "case-1", NOW))))).isTrue();
    assertThat(announced).isEmpty();
    assertThat(rejected).hasSize(2);
    assertThat(rejected.get(0)).startsWith(FOLLOWED + ": unreadable support event");
    assertThat(rejected.get(1)).isEqualTo(FOLLOWED + ": key " + STRANGER + " is not the event's account " + FOLLOWED);
  }

  @Test
  void anEventOlderThanTheNetsIntervalIsSkippedAsThePollsHaveLookedSince() {
    assertThat(follower.handle(record(event(FOLLOWED, "case-old", NOW.minus(Duration.ofMinutes(16)))))).isTrue();
    assertThat(follower.handle(record(event(FOLLOWED, "case-recent", NOW.minus(Duration.ofMinutes(14)))))).isTrue();
    assertThat(announced).containsExactly(FOLLOWED + "/case-recent/ev-case-recent");
    assertThat(rejected).isEmpty();
  }
}
