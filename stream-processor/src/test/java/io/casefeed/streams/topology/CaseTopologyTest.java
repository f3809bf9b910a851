package io.casefeed.streams.topology;

import static io.casefeed.streams.testing.Cases.T0;
import static io.casefeed.streams.testing.Cases.account;
import static io.casefeed.streams.testing.Cases.aws;
import static io.casefeed.streams.testing.Cases.customer;
import static io.casefeed.streams.testing.Cases.details;
import static io.casefeed.streams.testing.Cases.newestFirst;
import static io.casefeed.streams.testing.Cases.observation;
import static io.casefeed.streams.testing.Cases.sweep;
import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseCount;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.SweepRecord;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.schemas.DeadLetters;
import io.casefeed.schemas.registry.InMemorySchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaseTopologyTest {

  private static final String A1 = "111111111111";
  private static final String A2 = "222222222222";
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  @TempDir java.nio.file.Path stateDir;

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final CaseSerdes serdes = CaseSerdes.of(registry, true);
  private final TopologySettings settings = TopologySettings.withPrefix("t.", 3, Clock.fixed(NOW, ZoneOffset.UTC));
  private TopologyTestDriver driver;
  private TestInputTopic<String, CaseObservation> observations;
  private TestInputTopic<String, AccountRecord> accounts;
  private TestInputTopic<String, SweepRecord> sweeps;
  private TestInputTopic<String, byte[]> rawObservations;
  private TestOutputTopic<String, CaseChange> changes;
  private TestOutputTopic<String, CaseState> cases;
  private TestOutputTopic<String, CaseCount> counts;
  private TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeEach
  void start() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    driver = new TopologyTestDriver(CaseTopology.build(settings, serdes), props);
    observations = driver.createInputTopic(settings.observationsTopic(), new StringSerializer(), serdes.observation().serializer());
    rawObservations = driver.createInputTopic(settings.observationsTopic(), new StringSerializer(), new ByteArraySerializer());
    accounts = driver.createInputTopic(settings.accountsTopic(), new StringSerializer(), serdes.account().serializer());
    sweeps = driver.createInputTopic(settings.sweepsTopic(), new StringSerializer(), serdes.sweep().serializer());
    changes = driver.createOutputTopic(settings.changesTopic(), new StringDeserializer(), serdes.change().deserializer());
    cases = driver.createOutputTopic(settings.casesTopic(), new StringDeserializer(), serdes.state().deserializer());
    counts = driver.createOutputTopic(settings.countsTopic(), new StringDeserializer(), serdes.count().deserializer());
    deadLetters = driver.createOutputTopic(settings.deadLetterTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    accounts.pipeInput(A1, account(A1));
    accounts.pipeInput(A2, account(A2));
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private void observe(CaseDetails details, Instant at) {
    observe(details, at, false);
  }

  private void observe(CaseDetails details, Instant at, boolean firstReading) {
    observations.pipeInput(CaseKeys.of(details.getAccountId(), details.getCaseId()), observation(details, at, firstReading), at);
  }

  private List<CaseChange> changeEvents() {
    return changes.readValuesToList();
  }

  /** The latest value of each key on casefeed.cases, tombstones removing it. */
  private Map<String, CaseState> latestCases() {
    Map<String, CaseState> latest = new HashMap<>();
    for (KeyValue<String, CaseState> record : cases.readKeyValuesToList()) {
      if (record.value == null) {
        latest.remove(record.key);
      } else {
        latest.put(record.key, record.value);
      }
    }
    return latest;
  }

  private Map<String, Long> pivotStore() {
    Map<String, Long> cells = new HashMap<>();
    KeyValueStore<String, Long> store = driver.getKeyValueStore(StoreNames.PIVOT_COUNTS);
    try (var all = store.all()) {
      all.forEachRemaining(kv -> cells.put(kv.key, kv.value));
    }
    return cells;
  }

  @Test
  void everyChangeTypeReachesTheChangeFeed() {
    Instant t = T0;
    observe(details(A1, "c1").build(), t);
    observe(details(A1, "c1").setStatus("work-in-progress").build(), t = t.plusSeconds(60));
    observe(details(A1, "c1").setStatus("work-in-progress").setSeverityCode("high").build(), t = t.plusSeconds(60));
    observe(details(A1, "c1").setStatus("work-in-progress").setSeverityCode("high")
        .setRecentCommunications(newestFirst(aws("we are on it", t))).build(), t = t.plusSeconds(60));
    observe(details(A1, "c1").setStatus("resolved").setSeverityCode("high")
        .setRecentCommunications(newestFirst(aws("we are on it", T0.plusSeconds(120)))).build(), t = t.plusSeconds(60));
    observe(details(A1, "c1").setStatus("reopened").setSeverityCode("high")
        .setRecentCommunications(newestFirst(aws("we are on it", T0.plusSeconds(120)))).build(), t = t.plusSeconds(60));
    observe(details(A1, "c1").setStatus("reopened").setSeverityCode("high").setServiceCode("amazon-s3")
        .setRecentCommunications(newestFirst(aws("we are on it", T0.plusSeconds(120)))).build(), t = t.plusSeconds(60));

    List<CaseChange> events = changeEvents();

    assertThat(events).extracting(CaseChange::getChangeType).containsExactly(
        "CASE_OPENED", "STATUS_CHANGED", "SEVERITY_CHANGED", "COMMUNICATION_ADDED", "CASE_RESOLVED", "CASE_REOPENED", "FIELDS_CHANGED");
    assertThat(events).extracting(CaseChange::getVersion).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(events.get(3).getCommunicationAuthor()).isEqualTo("AWS");
    assertThat(events.get(6).getChangedFields()).containsExactly("serviceCode");
    assertThat(events).extracting(CaseChange::getEventId).doesNotHaveDuplicates();
    CaseState state = latestCases().get(CaseKeys.of(A1, "c1"));
    assertThat(state.getVersion()).isEqualTo(7);
    assertThat(state.getReopenCount()).isEqualTo(1);
  }

  @Test
  void theSameObservationTenTimesMakesOneEvent() {
    for (int i = 0; i < 10; i++) {
      observe(details(A1, "c1").build(), T0.plusSeconds(i * 60L));
    }

    assertThat(changeEvents()).extracting(CaseChange::getChangeType).containsExactly("CASE_OPENED");
    assertThat(cases.readValuesToList()).hasSize(1);
  }

  @Test
  void outOfOrderObservationsNeverRollBack() {
    observe(details(A1, "c1").build(), T0);
    observe(details(A1, "c1").setStatus("resolved").build(), T0.plusSeconds(600));
    observe(details(A1, "c1").setStatus("work-in-progress").build(), T0.plusSeconds(300));

    assertThat(changeEvents()).extracting(CaseChange::getChangeType).containsExactly("CASE_OPENED", "CASE_RESOLVED");
    assertThat(latestCases().get(CaseKeys.of(A1, "c1")).getCaseDetails().getStatus()).isEqualTo("resolved");
  }

  @Test
  void aCaseMovingBetweenPivotGroupsMovesItsCount() {
    observe(details(A1, "c1").build(), T0);
    observe(details(A1, "c2").build(), T0);
    observe(details(A1, "c1").setStatus("resolved").build(), T0.plusSeconds(60));
    observe(details(A1, "c2").setSeverityCode("urgent").build(), T0.plusSeconds(60));

    String openedNormal = A1 + "|opened|normal|amazon-elastic-compute-cloud-linux|en";
    String resolvedNormal = A1 + "|resolved|normal|amazon-elastic-compute-cloud-linux|en";
    String openedUrgent = A1 + "|opened|urgent|amazon-elastic-compute-cloud-linux|en";
    Map<String, Long> cells = pivotStore();
    assertThat(cells).containsEntry(resolvedNormal, 1L).containsEntry(openedUrgent, 1L);
    assertThat(cells.getOrDefault(openedNormal, 0L)).isZero();
    assertThat(cells.values()).allMatch(count -> count >= 0);
    assertThat(cells.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);

    Map<String, CaseCount> latestCounts = new HashMap<>();
    for (TestRecord<String, CaseCount> record : counts.readRecordsToList()) {
      assertThat(record.value() == null || record.value().getCount() > 0).isTrue();
      latestCounts.put(record.key(), record.value());
    }
    assertThat(latestCounts.get(openedNormal)).isNull();
    assertThat(latestCounts.get(resolvedNormal).getCount()).isEqualTo(1);
    assertThat(latestCounts.get(openedUrgent).getSeverity()).isEqualTo("urgent");
  }

  @Test
  void casesFirstSeenDuringTheFirstReadingAreBackfill() {
    observe(details(A1, "old").setStatus("resolved").build(), T0, true);
    observe(details(A1, "new").build(), T0.plusSeconds(600), false);

    Map<String, Boolean> backfillByCase = new HashMap<>();
    changeEvents().forEach(change -> backfillByCase.put(change.getCaseId(), change.getBackfill()));

    assertThat(backfillByCase).containsEntry("old", true).containsEntry("new", false);
    assertThat(latestCases().get(CaseKeys.of(A1, "old")).getBackfill()).isTrue();
  }

  @Test
  void aRemovedAccountsCasesAreTombstonedAndLeaveThePivot() {
    observe(details(A1, "c1").build(), T0);
    observe(details(A2, "c2").build(), T0);
    changes.readValuesToList();

    accounts.pipeInput(A1, (AccountRecord) null);

    assertThat(latestCases()).containsOnlyKeys(CaseKeys.of(A2, "c2"));
    assertThat(pivotStore().entrySet()).filteredOn(e -> e.getValue() > 0)
        .extracting(Map.Entry::getKey).allMatch(key -> key.startsWith(A2));
    assertThat(changes.isEmpty()).as("history stays in the change feed; no new change event").isTrue();
  }

  @Test
  void poisonRecordsGoToTheDeadLetterTopicAndProcessingGoesOn() {
    byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
    rawObservations.pipeInput(new TestRecord<>(CaseKeys.of(A1, "bad"), garbage, T0));
    rawObservations.pipeInput(new TestRecord<>(null, serdes.observation().serialize(settings.observationsTopic(),
        observation(details(A1, "nokey").build(), T0)), T0));
    observations.pipeInput(CaseKeys.of(A2, "c9"), observation(details(A1, "c1").build(), T0));
    observe(details(A1, "good").build(), T0);

    List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
    assertThat(dead).hasSize(3);
    TestRecord<byte[], byte[]> first = dead.get(0);
    assertThat(first.value()).isEqualTo(garbage);
    assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo(CaseKeys.of(A1, "bad"));
    assertThat(DeadLetters.header(first.headers(), DeadLetters.REASON)).startsWith("undecodable value");
    assertThat(DeadLetters.header(first.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(settings.observationsTopic());
    assertThat(DeadLetters.header(first.headers(), DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
    assertThat(DeadLetters.header(first.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
    assertThat(DeadLetters.header(first.headers(), DeadLetters.FAILED_AT)).isEqualTo(NOW.toString());
    assertThat(DeadLetters.header(dead.get(1).headers(), DeadLetters.REASON)).isEqualTo("missing key");
    assertThat(DeadLetters.header(dead.get(2).headers(), DeadLetters.REASON)).contains("is not <accountId>:<caseId>");
    assertThat(DeadLetters.header(dead.get(2).headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("2");
    assertThat(changeEvents()).extracting(CaseChange::getCaseId).containsExactly("good");
  }

  @Test
  void lifecycleFieldsFollowAScriptedCaseHistory() {
    Instant created = Instant.parse("2026-11-20T07:55:00Z");
    Instant awsAnswer = created.plus(Duration.ofMinutes(40));
    Instant pendingAt = T0.plus(Duration.ofHours(1));
    Instant customerAnswer = T0.plus(Duration.ofHours(3));
    Instant resolvedAt = T0.plus(Duration.ofHours(5));
    Instant reopenedAt = T0.plus(Duration.ofHours(6));
    Instant resolvedAgainAt = T0.plus(Duration.ofHours(8));
    var comms1 = newestFirst(customer("help", created));
    var comms2 = newestFirst(customer("help", created), aws("need logs", awsAnswer));
    var comms3 = newestFirst(customer("help", created), aws("need logs", awsAnswer), customer("logs attached", customerAnswer));

    observe(details(A1, "c1").setRecentCommunications(comms1).build(), T0);
    observe(details(A1, "c1").setStatus("pending-customer-action").setRecentCommunications(comms2).build(), pendingAt);
    CaseState waiting = driver.<String, CaseState>getKeyValueStore(StoreNames.CASES).get(CaseKeys.of(A1, "c1"));
    observe(details(A1, "c1").setStatus("customer-action-completed").setRecentCommunications(comms3).build(), customerAnswer.plusSeconds(30));
    observe(details(A1, "c1").setStatus("resolved").setRecentCommunications(comms3).build(), resolvedAt);
    observe(details(A1, "c1").setStatus("reopened").setRecentCommunications(comms3).build(), reopenedAt);
    observe(details(A1, "c1").setStatus("resolved").setRecentCommunications(comms3).build(), resolvedAgainAt);

    CaseState state = latestCases().get(CaseKeys.of(A1, "c1"));
    assertThat(waiting.getWaitingOnCustomerSince()).isEqualTo(pendingAt);
    assertThat(state.getFirstSeenAt()).isEqualTo(T0);
    assertThat(state.getFirstAwsResponseAt()).isEqualTo(awsAnswer);
    assertThat(state.getTimeToFirstAwsResponseMs()).isEqualTo(Duration.ofMinutes(40).toMillis());
    assertThat(state.getLastCustomerActionAt()).isEqualTo(customerAnswer.plusSeconds(30));
    assertThat(state.getWaitingOnCustomerSince()).isNull();
    assertThat(state.getReopenCount()).isEqualTo(1);
    assertThat(state.getResolvedAt()).isEqualTo(resolvedAgainAt);
    assertThat(state.getTimeToResolveMs()).isEqualTo(Duration.between(created, resolvedAgainAt).toMillis());
    assertThat(state.getLastChangeType()).isEqualTo("CASE_RESOLVED");
  }

  @Test
  void historyKeepsTheLatestChangesOfEachCase() {
    observe(details(A1, "c1").build(), T0);
    observe(details(A1, "c1").setSeverityCode("high").build(), T0.plusSeconds(1));
    observe(details(A1, "c1").setSeverityCode("urgent").build(), T0.plusSeconds(2));
    observe(details(A1, "c1").setSeverityCode("critical").build(), T0.plusSeconds(3));

    KeyValueStore<String, CaseChange> history = driver.getKeyValueStore(StoreNames.CASE_HISTORY);
    List<Long> versions = new java.util.ArrayList<>();
    try (var iterator = history.prefixScan(HistoryStoreKeys.prefix(CaseKeys.of(A1, "c1")), new StringSerializer())) {
      iterator.forEachRemaining(kv -> versions.add(kv.value.getVersion()));
    }
    assertThat(versions).containsExactly(2L, 3L, 4L);
  }

  @Test
  void sweepsGiveTheLatestOutcomeOfEachAccount() {
    sweeps.pipeInput(A1, sweep(A1, "ok", T0));
    sweeps.pipeInput(A1, sweep(A1, "access-denied", T0.plusSeconds(60)));

    KeyValueStore<String, SweepRecord> coverage = driver.getKeyValueStore(StoreNames.COVERAGE);
    assertThat(coverage.get(A1).getOutcome()).isEqualTo("access-denied");
  }
  private void erase(String accountId, String caseId, Instant at) {
    rawObservations.pipeInput(CaseKeys.of(accountId, caseId), null, at);
  }

  private List<String> historyKeys(String caseKey) {
    KeyValueStore<String, CaseChange> history = driver.getKeyValueStore(StoreNames.CASE_HISTORY);
    List<String> keys = new java.util.ArrayList<>();
    try (var iterator = history.prefixScan(HistoryStoreKeys.prefix(caseKey), new StringSerializer())) {
      iterator.forEachRemaining(kv -> keys.add(kv.key));
    }
    return keys;
  }

  @Test
  void aTombstoneOnObservationsErasesTheCaseFromEveryStoreAndCasefeedCases() {
    observe(details(A1, "c1").setSubject("secret outage at ACME").build(), T0);
    observe(details(A1, "c1").setSubject("secret outage at ACME").setSeverityCode("high").build(), T0.plusSeconds(60));
    observe(details(A2, "c2").build(), T0);
    String erasedKey = CaseKeys.of(A1, "c1");
    assertThat(historyKeys(erasedKey)).hasSize(2);
    assertThat(pivotStore().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);

    Instant erasedAt = T0.plusSeconds(600);
    erase(A1, "c1", erasedAt);

    assertThat(latestCases()).containsOnlyKeys(CaseKeys.of(A2, "c2"));
    assertThat(driver.<String, CaseState>getKeyValueStore(StoreNames.CASE_TRACKER).get(erasedKey)).isNull();
    assertThat(driver.<String, CaseState>getKeyValueStore(StoreNames.TRACKED_CASES).get(erasedKey)).isNull();
    assertThat(driver.<String, CaseState>getKeyValueStore(StoreNames.CASES).get(erasedKey)).isNull();
    assertThat(historyKeys(erasedKey)).isEmpty();
    assertThat(driver.<String, Long>getKeyValueStore(StoreNames.ERASED_CASES).get(erasedKey)).isEqualTo(erasedAt.toEpochMilli());
    assertThat(pivotStore().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
    // The other case is untouched, and the tombstone is not a bad record.
    assertThat(driver.<String, CaseState>getKeyValueStore(StoreNames.CASES).get(CaseKeys.of(A2, "c2")).getCaseDetails().getSubject())
        .isEqualTo("EC2 instance unreachable");
    assertThat(historyKeys(CaseKeys.of(A2, "c2"))).hasSize(1);
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void aCaseObservedAgainAfterItsErasureComesBackWithoutTheErasedData() {
    Instant written = T0.plusSeconds(30);
    CaseDetails.Builder before = details(A1, "c1").setSubject("secret outage at ACME").setSubmittedBy("jane@acme.example")
        .setCcEmailAddresses(new java.util.ArrayList<>(List.of("boss@acme.example")))
        .setRecentCommunications(newestFirst(customer("our db password is hunter2", written)));
    observe(before.build(), T0.plusSeconds(60));
    Instant erasedAt = T0.plusSeconds(600);
    erase(A1, "c1", erasedAt);
    changes.readValuesToList();
    cases.readKeyValuesToList();

    // A poll that read the case before the erase (in flight, or a replay) is dropped.
    observe(before.build(), erasedAt.minusSeconds(1));
    assertThat(changes.isEmpty()).isTrue();
    assertThat(cases.isEmpty()).isTrue();

    // The case is still open in AWS: read again after the erase, it is followed again, scrubbed.
    Instant later = erasedAt.plusSeconds(60);
    observe(before.setStatus("work-in-progress")
        .setRecentCommunications(newestFirst(customer("our db password is hunter2", written), aws("fixed it", later))).build(),
        later.plusSeconds(10));
    List<CaseChange> events = changes.readValuesToList();
    Map<String, CaseState> latest = latestCases();

    assertThat(events).isNotEmpty();
    String everything = events.toString() + latest;
    assertThat(everything).doesNotContain("secret outage at ACME", "jane@acme.example", "boss@acme.example", "hunter2");
    CaseState state = latest.get(CaseKeys.of(A1, "c1"));
    assertThat(state.getCaseDetails().getSubject()).isEqualTo(io.casefeed.streams.change.Erasures.ERASED);
    assertThat(state.getCaseDetails().getStatus()).isEqualTo("work-in-progress");
    assertThat(state.getCaseDetails().getRecentCommunications()).extracting(c -> c.getBody()).containsExactly("fixed it");
    assertThat(deadLetters.isEmpty()).isTrue();
  }
}
