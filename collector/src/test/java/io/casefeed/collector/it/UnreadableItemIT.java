package io.casefeed.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.collector.Collector;
import io.casefeed.collector.aws.SupportGateway;
import io.casefeed.collector.metrics.CollectorMetrics;
import io.casefeed.collector.poll.AccountPoller;
import io.casefeed.collector.poll.AccountState;
import io.casefeed.collector.poll.CallRunner;
import io.casefeed.collector.poll.Outcome;
import io.casefeed.collector.poll.PollKind;
import io.casefeed.collector.poll.PollReport;
import io.casefeed.collector.publish.CompactedTopicReader;
import io.casefeed.collector.publish.KafkaDeadLetterLog;
import io.casefeed.collector.publish.KafkaPublisher;
import io.casefeed.collector.publish.ObservationSink;
import io.casefeed.collector.publish.ObservationSink.UnreadableItem;
import io.casefeed.collector.publish.ReadingLog;
import io.casefeed.collector.ratelimit.RateLimits;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.SweepRecord;
import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.schemas.DeadLetters;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.InMemorySchemaRegistryClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.support.model.CaseDetails;
import software.amazon.awssdk.services.support.model.DescribeCasesRequest;
import software.amazon.awssdk.services.support.model.DescribeCasesResponse;
import software.amazon.awssdk.services.support.model.DescribeCommunicationsRequest;
import software.amazon.awssdk.services.support.model.DescribeCommunicationsResponse;

/**
 * A Support item the collector cannot read lands on the real dead-letter topic, readable and explained,
 * once per version of the item, also across a restart of the collector.
 */
class UnreadableItemIT {

  @Test
  void anUnreadableSupportItemIsStoredOnTheDeadLetterTopicWithItsReason() throws Exception {
    String prefix = KafkaFixture.unique("unreadable") + ".";
    String deadLetterTopic = KafkaFixture.createTopics(prefix, List.of(Topics.DEAD_LETTER), 1).get(0);
    Map<String, Object> kafka = Map.of("bootstrap.servers", KafkaFixture.bootstrapServers());
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    String item = "{\"caseId\":null,\"subject\":\"a case AWS sent without its id\"}";
    Instant seenAt = Instant.parse("2026-11-27T02:00:00Z");

    try (KafkaPublisher publisher = new KafkaPublisher(kafka, "collector-it-7", new KafkaPublisher.Topics("unused", "unused",
        "unused", deadLetterTopic), new InMemorySchemaRegistryClient(), true, new CollectorMetrics(meters))) {
      publisher.unreadable(new UnreadableItem("123456789012", "Support DescribeCases item without caseId", null, item, seenAt))
          .get(60, TimeUnit.SECONDS);
    }

    List<ConsumerRecord<String, byte[]>> letters = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, KafkaFixture.unique("dlq-check"), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(deadLetterTopic));
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (letters.isEmpty() && System.nanoTime() < end) {
        consumer.poll(Duration.ofMillis(500)).forEach(letters::add);
      }
    }
    assertThat(letters).singleElement().satisfies(letter -> {
      assertThat(letter.key()).isEqualTo("123456789012");
      assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo(item);
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.REASON)).isEqualTo("Support DescribeCases item without caseId");
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo("support:DescribeCases");
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.FAILED_BY)).isEqualTo("collector-it-7");
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.FAILED_AT)).isEqualTo("2026-11-27T02:00:00Z");
    });
    assertThat(meters.get("casefeed.collector.reply.unreadable").counter().count()).isEqualTo(1.0);
  }

  @Test
  void anUnchangedItemIsNotDeadLetteredAgainByARestartedCollectorButAChangedOneIs() throws Exception {
    String prefix = KafkaFixture.unique("dead-lettered") + ".";
    List<String> topics = KafkaFixture.createTopics(prefix, List.of(Topics.DEAD_LETTER, Collector.DEAD_LETTERED), 1);
    String deadLetterTopic = topics.get(0);
    String stateTopic = topics.get(1);
    Map<String, Object> kafka = Map.of("bootstrap.servers", KafkaFixture.bootstrapServers());
    OneCaseSupport support = new OneCaseSupport();
    support.cc = Arrays.asList("ops@example.com", null);

    SimpleMeterRegistry before = new SimpleMeterRegistry();
    try (Instance first = new Instance(kafka, deadLetterTopic, stateTopic, support, before)) {
      AccountState state = new AccountState(ACCOUNT);
      assertThat(first.poller.poll(state, PollKind.SWEEP).outcome()).isEqualTo(Outcome.OK);
      assertThat(first.poller.poll(state, PollKind.SWEEP).outcome()).isEqualTo(Outcome.OK);
    }
    assertThat(repeated(before)).isEqualTo(1.0);

    // A new process: new publisher, new log read from the topic, new state of the account.
    SimpleMeterRegistry after = new SimpleMeterRegistry();
    try (Instance restarted = new Instance(kafka, deadLetterTopic, stateTopic, support, after)) {
      AccountState state = new AccountState(ACCOUNT);
      PollReport unchanged = restarted.poller.poll(state, PollKind.SWEEP);
      assertThat(unchanged.outcome()).isEqualTo(Outcome.OK);
      assertThat(repeated(after)).as("the unchanged item is counted, not sent").isEqualTo(1.0);

      support.cc = Arrays.asList("oncall@example.com", null);
      assertThat(restarted.poller.poll(state, PollKind.SWEEP).outcome()).isEqualTo(Outcome.OK);
      assertThat(repeated(after)).isEqualTo(1.0);
      assertThat(after.get("casefeed.collector.reply.unreadable").counter().count()).isEqualTo(2.0);
    }

    List<ConsumerRecord<String, byte[]>> letters = readAll(deadLetterTopic, 2);
    assertThat(letters).extracting(letter -> new String(letter.value(), StandardCharsets.UTF_8))
        .satisfiesExactly(
            item -> assertThat(item).contains("ops@example.com"),
            item -> assertThat(item).contains("oncall@example.com").doesNotContain("ops@example.com"));
    assertThat(letters).extracting(ConsumerRecord::key).containsOnly(ACCOUNT);

    Map<String, byte[]> state = CompactedTopicReader.readAll(kafka, stateTopic, Duration.ofSeconds(30));
    assertThat(state).hasSize(2).allSatisfy((key, value) -> {
      assertThat(key).matches(ACCOUNT + ":case-odd:[0-9a-f]{64}");
      assertThat(Instant.parse(new String(value, StandardCharsets.UTF_8))).isEqualTo(SEEN_AT);
    });
  }

  @Test
  void theLogKeepsTheNewestKeysOfEachAccountUpToItsCapacityAndTombstonesTheOthers() throws Exception {
    String prefix = KafkaFixture.unique("dead-lettered-cap") + ".";
    String stateTopic = KafkaFixture.createTopics(prefix, List.of(Collector.DEAD_LETTERED), 1).get(0);
    Map<String, Object> kafka = Map.of("bootstrap.servers", KafkaFixture.bootstrapServers());
    String other = "210987654321";
    try (KafkaPublisher publisher = new KafkaPublisher(kafka, "collector-it-9", new KafkaPublisher.Topics("unused", "unused",
        "unused", "unused"), new InMemorySchemaRegistryClient(), true, new CollectorMetrics(new SimpleMeterRegistry()))) {
      KafkaDeadLetterLog log = new KafkaDeadLetterLog(kafka, stateTopic, publisher, 2);
      log.reload();
      log.stored(ACCOUNT, ACCOUNT + ":case-1:aa", SEEN_AT);
      log.stored(other, other + ":case-9:ee", SEEN_AT);
      log.stored(ACCOUNT, ACCOUNT + ":case-2:bb", SEEN_AT.plusSeconds(1));
      log.stored(ACCOUNT, ACCOUNT + ":case-3:cc", SEEN_AT.plusSeconds(2));

      assertThat(log.wasStored(ACCOUNT, ACCOUNT + ":case-1:aa")).isFalse();
      assertThat(log.wasStored(ACCOUNT, ACCOUNT + ":case-3:cc")).isTrue();
      assertThat(log.wasStored(other, other + ":case-9:ee")).isTrue();
    }

    try (KafkaPublisher publisher = new KafkaPublisher(kafka, "collector-it-9", new KafkaPublisher.Topics("unused", "unused",
        "unused", "unused"), new InMemorySchemaRegistryClient(), true, new CollectorMetrics(new SimpleMeterRegistry()))) {
      KafkaDeadLetterLog restarted = new KafkaDeadLetterLog(kafka, stateTopic, publisher, 2);
      restarted.reload();
      assertThat(restarted.size()).isEqualTo(3);
      assertThat(restarted.wasStored(ACCOUNT, ACCOUNT + ":case-1:aa")).isFalse();
      assertThat(restarted.wasStored(ACCOUNT, ACCOUNT + ":case-2:bb")).isTrue();
      assertThat(restarted.wasStored(ACCOUNT, ACCOUNT + ":case-3:cc")).isTrue();
      assertThat(restarted.wasStored(other, other + ":case-9:ee")).isTrue();
      // Asked for the right account only.
      assertThat(restarted.wasStored(other, ACCOUNT + ":case-3:cc")).isFalse();
    }
    // The pushed-out key is a tombstone on the topic, so the topic stays as small as the memory.
    assertThat(CompactedTopicReader.readAll(kafka, stateTopic, Duration.ofSeconds(30)))
        .containsOnlyKeys(ACCOUNT + ":case-2:bb", ACCOUNT + ":case-3:cc", other + ":case-9:ee");
  }

  private static final String ACCOUNT = "123456789012";
  private static final Instant SEEN_AT = Instant.parse("2026-11-27T02:00:00Z");

  private static double repeated(SimpleMeterRegistry meters) {
    var counter = meters.find("casefeed.collector.reply.unreadable.repeated").counter();
    return counter == null ? 0 : counter.count();
  }

  private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int atLeast) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaFixture.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, KafkaFixture.unique("dlq-check"), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      // Reads on a while after the expected count, so that a letter too many would be seen.
      long settle = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(end, settle)) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        if (records.size() >= atLeast && settle == Long.MAX_VALUE) {
          settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        }
      }
    }
    return records;
  }

  /** One collector process as far as dead letters go: its producer, its dead-letter log, its poller. */
  private static final class Instance implements AutoCloseable {
    final KafkaPublisher publisher;
    final AccountPoller poller;

    Instance(Map<String, Object> kafka, String deadLetterTopic, String stateTopic, SupportGateway support, SimpleMeterRegistry meters) {
      CollectorMetrics metrics = new CollectorMetrics(meters);
      publisher = new KafkaPublisher(kafka, "collector-it-8", new KafkaPublisher.Topics("unused-observations", "unused-sweeps",
          "unused", deadLetterTopic), new InMemorySchemaRegistryClient(), true, metrics);
      KafkaDeadLetterLog log = new KafkaDeadLetterLog(kafka, stateTopic, publisher, KafkaDeadLetterLog.DEFAULT_CAPACITY);
      log.reload();
      CallRunner calls = new CallRunner(new RateLimits(1000, 1000, 1000), metrics, 1, Duration.ofMillis(10), Duration.ofMillis(10));
      poller = new AccountPoller(support, calls, new DeadLettersOnly(publisher), new ReadingLog() {
        @Override
        public boolean hasBeenRead(String accountId) {
          return true;
        }

        @Override
        public void markRead(SweepRecord firstCompleteSweep) {
          // Not a first reading: nothing to mark.
        }
      }, Clock.fixed(SEEN_AT, ZoneOffset.UTC), List.of("en"), Duration.ofDays(730), "collector-it-8", null, null, log);
    }

    @Override
    public void close() {
      // Waits for what is in flight, as a collector's shutdown does: the log's records included.
      publisher.close();
    }
  }

  /** The real dead letters; observations and sweep records are not this test's topic and go nowhere. */
  private record DeadLettersOnly(KafkaPublisher publisher) implements ObservationSink {
    @Override
    public CompletableFuture<Void> observation(CaseObservation observation) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> sweep(SweepRecord sweep) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> unreadable(UnreadableItem item) {
      return publisher.unreadable(item);
    }

    @Override
    public void unreadableAgain(UnreadableItem item) {
      publisher.unreadableAgain(item);
    }
  }

  /** AWS Support answering with one case the mapping refuses (a null in its cc list), as it is at the moment. */
  private static final class OneCaseSupport implements SupportGateway {
    volatile List<String> cc;

    @Override
    public void ensureCredentials(String accountId) {
      // No role to assume here.
    }

    @Override
    public boolean needsCredentials(String accountId) {
      return false;
    }

    @Override
    public DescribeCasesResponse describeCases(String accountId, DescribeCasesRequest request) {
      return DescribeCasesResponse.builder().cases(CaseDetails.builder().caseId("case-odd").displayId("1001")
          .subject("an odd case").status("opened").serviceCode("amazon-ec2").categoryCode("other").severityCode("low")
          .submittedBy("dev@example.com").timeCreated("2026-11-20T08:00:00.000Z").language("en").ccEmailAddresses(cc)
          .build()).build();
    }

    @Override
    public DescribeCommunicationsResponse describeCommunications(String accountId, DescribeCommunicationsRequest request) {
      return DescribeCommunicationsResponse.builder().build();
    }
  }
}
