package io.casefeed.sink.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.casefeed.collector.Collector;
import io.casefeed.collector.aws.AwsClients;
import io.casefeed.collector.config.CollectorConfig;
import io.casefeed.common.config.CommonConfig;
import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.localcloud.LocalCloud;
import io.casefeed.localcloud.LocalCloudOptions;
import io.casefeed.localcloud.Scenario;
import io.casefeed.localcloud.SimulatedAccount;
import io.casefeed.localcloud.SimulatedCase;
import io.casefeed.schemas.TopicSpec;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.casefeed.schemas.registry.SchemaRegistryClient;
import io.casefeed.sink.S3Sink;
import io.casefeed.sink.config.SinkConfig;
import io.casefeed.schemas.table.CaseListCsv;
import io.casefeed.streams.CaseStreamsApp;
import io.casefeed.streams.config.StreamProcessorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Issue #6: casefeed's case_list.csv is a superset of the seed's. The seed's own Lambda code and
 * casefeed's pipeline (collector, stream-processor, sink, in this JVM on the test broker) read the
 * same local-cloud organisation through the same account file in the same bucket. With the
 * simulation paused, every row the seed wrote is in casefeed's latest snapshot, field for field in
 * the seed's eight columns (a line break in a subject excepted: casefeed writes a space, because
 * Athena's OpenCSVSerde cannot read one inside a field), and casefeed also has the cases the seed
 * cannot see: its later DescribeCases pages and the cases in other languages.
 */
class SeedCompatibilityIT {

  /**
   * Six accounts: 0 management, 1 without a support plan, 2 without the role (neither listed, as the
   * seed stops at them), 3 hot (130 English and 130 Japanese cases: two pages of English), 0, 4 and 5
   * ordinary, their cases mostly English, some Chinese and Korean. Cases change about every two
   * seconds until paused.
   */
  private static final Scenario SCENARIO = new Scenario(23L, 6, null, null, null, null, null, 8, 16, 260,
      Map.of("en", 0.7, "zh", 0.15, "ko", 0.15), 1800.0, null, null, null,
      List.of(new Scenario.AccountSpec(4, null, null, null, null, null, false, null, null, null)));
  private static final List<Integer> LISTED_ACCOUNTS = List.of(0, 3, 4, 5);
  private static final int HOT_ACCOUNT = 3;
  private static final String BUCKET = "support-cases";
  private static final String ACCOUNTS_KEY = "accounts/accounts.txt";
  private static final String CASEFEED_PREFIX = "casefeed";
  private static final String CASEFEED_LATEST_CSV = CASEFEED_PREFIX + "/case_list/latest/case_list.csv";
  /** Ten years: the seed then asks for every case AWS keeps, so what it misses is pagination and language alone. */
  private static final int SEED_DELTA_DAYS = -3650;
  private static final int DESCRIBE_CASES_DEFAULT_PAGE = 100;
  private static final String AWKWARD_SUBJECT = "Invoice, \"duplicate\" charges, ask \"billing\"\nsecond line: EUR 1,234.50";

  @TempDir
  Path dir;
  private final Deque<AutoCloseable> running = new ArrayDeque<>();

  @AfterEach
  void stopEverything() throws Exception {
    while (!running.isEmpty()) {
      running.pop().close();
    }
  }

  @Test
  void everyRowTheSeedWritesIsInCasefeedsSnapshotWhichAlsoHasTheCasesTheSeedMisses() throws Exception {
    LocalCloud cloud = LocalCloud.start(LocalCloudOptions.builder().dataDir(dir.resolve("local-cloud")).scenario(SCENARIO).build());
    running.push(cloud);
    List<SimulatedAccount> listed = LISTED_ACCOUNTS.stream().map(i -> cloud.simulation().accounts().get(i)).toList();
    S3Client s3 = s3Client(cloud);
    running.push(s3);
    s3.createBucket(b -> b.bucket(BUCKET));
    s3.putObject(b -> b.bucket(BUCKET).key(ACCOUNTS_KEY),
        RequestBody.fromString(listed.stream().map(a -> a.id() + "\n").collect(Collectors.joining())));

    startCasefeed(cloud);
    SimulatedCase awkward = cloud.simulation().createCase(listed.get(0).id(), AWKWARD_SUBJECT, "aws-lambda", "high", "en");
    AtomicReference<List<List<String>>> snapshot = new AtomicReference<>(List.of());
    await("casefeed's snapshot has the case created while it runs").atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> readCasefeedSnapshot(s3, snapshot).containsKey(listed.get(0).id() + ":" + awkward.displayId()));

    cloud.simulation().pause();
    Map<String, List<String>> truth = new TreeMap<>();
    await("casefeed's snapshot equals the paused ground truth").atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> {
          truth.clear();
          truth.putAll(groundTruth(cloud, listed));
          return readCasefeedSnapshot(s3, snapshot).equals(truth);
        });
    assertThat(snapshot.get().get(0).subList(0, CaseListCsv.SEED_COLUMNS.size())).isEqualTo(CaseListCsv.SEED_COLUMNS);
    Map<String, List<String>> casefeed = seedColumnsByKey(snapshot.get());

    SeedLambda.Run run = SeedLambda.invoke(cloud, dir, BUCKET, ACCOUNTS_KEY, SEED_DELTA_DAYS, "support-report@example.com",
        "ops@example.com");
    assertThat(run.exitCode()).as("the seed failed: %s", run.stderr()).isZero();
    List<List<String>> seedFile = PythonCsvReader.read(
        s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(SeedLambda.REPORT_KEY)).asByteArray(), dir);
    assertThat(seedFile.get(0)).isEqualTo(CaseListCsv.SEED_COLUMNS);
    List<List<String>> seedRows = seedFile.subList(1, seedFile.size());
    assertThat(seedRows).isNotEmpty();

    List<List<String>> seedRowsAsCasefeedWritesThem = seedRows.stream().map(SeedCompatibilityIT::withSubjectOnOneLine).toList();
    assertThat(casefeed.values()).containsAll(seedRowsAsCasefeedWritesThem);
    List<String> awkwardInSeed = seedRows.stream().filter(row -> row.get(0).equals(awkward.displayId())).findFirst().orElseThrow();
    assertThat(awkwardInSeed.get(4)).isEqualTo(AWKWARD_SUBJECT);
    assertThat(casefeed.get(listed.get(0).id() + ":" + awkward.displayId()).get(4))
        .isEqualTo(AWKWARD_SUBJECT.replace('\n', ' '));

    Map<String, List<String>> missedBySeed = new TreeMap<>(casefeed);
    seedRows.forEach(row -> missedBySeed.remove(key(row)));
    Map<String, Integer> missedByReason = new LinkedHashMap<>();
    Map<String, List<String>> expectedMisses = new TreeMap<>();
    // The seed's one DescribeCases call per account, without language or maxResults, returns the
    // account's 100 newest English cases: every other case is one the seed cannot see.
    for (SimulatedAccount account : listed) {
      int englishSeen = 0;
      for (SimulatedCase c : cloud.simulation().cases(account.id())) {
        boolean english = c.language().equals("en");
        if (english && englishSeen++ < DESCRIBE_CASES_DEFAULT_PAGE) {
          continue;
        }
        expectedMisses.put(account.id() + ":" + c.displayId(), truth.get(account.id() + ":" + c.displayId()));
        missedByReason.merge(english ? "later pages (en)" : "language " + c.language(), 1, Integer::sum);
      }
    }
    assertThat(missedBySeed).isEqualTo(expectedMisses);
    assertThat(missedByReason.get("later pages (en)")).isEqualTo(
        (int) cloud.simulation().cases(listed.get(LISTED_ACCOUNTS.indexOf(HOT_ACCOUNT)).id()).stream()
            .filter(c -> c.language().equals("en")).count() - DESCRIBE_CASES_DEFAULT_PAGE);
    assertThat(missedByReason).containsKeys("language ja", "language zh", "language ko");
    assertThat(seedRows.size() + missedBySeed.size()).isEqualTo(casefeed.size());
    System.out.printf("seed wrote %d rows, all in casefeed's snapshot of %d cases; the seed missed %d: %s%n",
        seedRows.size(), casefeed.size(), missedBySeed.size(), missedByReason);
  }

  private void startCasefeed(LocalCloud cloud) {
    String prefix = KafkaFixture.unique("seed-compat") + ".";
    List<TopicSpec> topics = new ArrayList<>(Topics.ALL);
    topics.addAll(Collector.OWN_TOPICS);
    KafkaFixture.createTopics(prefix, topics, 2);
    SchemaRegistryClient registry = new HttpSchemaRegistryClient(cloud.schemaRegistryUrl());
    Clock clock = Clock.systemUTC();

    Map<String, String> streams = common(cloud, prefix);
    streams.put(StreamProcessorConfig.APPLICATION_ID, prefix + "streams");
    streams.put(StreamProcessorConfig.STATE_DIR, dir.resolve("streams").toString());
    streams.put(StreamProcessorConfig.COMMIT_INTERVAL_MS, "500");
    streams.put(StreamProcessorConfig.QUERY_ENABLED, "false");
    running.push(new CaseStreamsApp(StreamProcessorConfig.load(null, Map.of(), streams), registry, clock, new SimpleMeterRegistry()).start());

    Map<String, String> sink = common(cloud, prefix);
    sink.put(SinkConfig.S3_BUCKET, BUCKET);
    sink.put(SinkConfig.S3_PREFIX, CASEFEED_PREFIX);
    sink.put(SinkConfig.S3_ENDPOINT, cloud.s3Endpoint().toString());
    sink.put(SinkConfig.S3_PATH_STYLE, "true");
    sink.put(SinkConfig.S3_ACCESS_KEY_ID, cloud.accessKeyId());
    sink.put(SinkConfig.S3_SECRET_ACCESS_KEY, cloud.secretAccessKey());
    sink.put(SinkConfig.HISTORY_ENABLED, "false");
    sink.put(SinkConfig.SNAPSHOT_INTERVAL_MS, "2000");
    running.push(S3Sink.create(SinkConfig.load(null, Map.of(), sink), clock, new SimpleMeterRegistry()).start());

    Map<String, String> collector = common(cloud, prefix);
    collector.put(CollectorConfig.ACCOUNTS_S3_URI, "s3://" + BUCKET + "/" + ACCOUNTS_KEY);
    collector.put(CollectorConfig.AWS_ENDPOINT_OVERRIDE, cloud.awsEndpoint().toString());
    collector.put(CollectorConfig.AWS_S3_ENDPOINT_OVERRIDE, cloud.s3Endpoint().toString());
    collector.put(CollectorConfig.AWS_S3_PATH_STYLE, "true");
    collector.put(CollectorConfig.AWS_ACCESS_KEY_ID, cloud.accessKeyId());
    collector.put(CollectorConfig.AWS_SECRET_ACCESS_KEY, cloud.secretAccessKey());
    collector.put(CollectorConfig.POLL_FAST_INTERVAL_MS, "2000");
    collector.put(CollectorConfig.POLL_SWEEP_INTERVAL_MS, "6000");
    // The seed's window (SEED_DELTA_DAYS) and casefeed's are both every case AWS keeps.
    collector.put(CollectorConfig.POLL_LOOKBACK_DAYS, "3650");
    collector.put(CollectorConfig.COLLECTOR_ID, prefix + "collector");
    collector.put(CollectorConfig.COLLECTOR_GROUP_ID, prefix + "collector");
    CollectorConfig collectorConfig = CollectorConfig.load(null, Map.of(), collector);
    AwsClients aws = new AwsClients(collectorConfig);
    running.push(aws);
    Collector started = new Collector(collectorConfig, clock, registry, aws, new SimpleMeterRegistry());
    started.start();
    running.push(started);
  }

  private static Map<String, String> common(LocalCloud cloud, String prefix) {
    Map<String, String> settings = new HashMap<>();
    settings.put(CommonConfig.BOOTSTRAP_SERVERS, KafkaFixture.bootstrapServers());
    settings.put(CommonConfig.SCHEMA_REGISTRY_URL, cloud.schemaRegistryUrl());
    settings.put(CommonConfig.TOPIC_PREFIX, prefix);
    settings.put(CommonConfig.TOPIC_REPLICATION_FACTOR, "1");
    settings.put(CommonConfig.TOPIC_CREATE, "false");
    return settings;
  }

  /**
   * casefeed's latest case_list.csv by {@code <account-id>:<case-id>}, its seed columns only; the
   * whole file (header first) kept in {@code file}. Empty until the first snapshot.
   */
  private Map<String, List<String>> readCasefeedSnapshot(S3Client s3, AtomicReference<List<List<String>>> file) throws Exception {
    byte[] csv;
    try {
      csv = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(CASEFEED_LATEST_CSV)).asByteArray();
    } catch (NoSuchKeyException notYet) {
      return Map.of();
    }
    file.set(PythonCsvReader.read(csv, dir));
    return seedColumnsByKey(file.get());
  }

  private static Map<String, List<String>> seedColumnsByKey(List<List<String>> fileWithHeader) {
    Map<String, List<String>> rows = new TreeMap<>();
    for (List<String> row : fileWithHeader.subList(1, fileWithHeader.size())) {
      List<String> seedColumns = List.copyOf(row.subList(0, CaseListCsv.SEED_COLUMNS.size()));
      assertThat(rows.put(key(seedColumns), seedColumns)).as("rows of %s", key(seedColumns)).isNull();
    }
    return rows;
  }

  /** Every case of the listed accounts, every language, in the seed's columns as casefeed writes them. */
  private static Map<String, List<String>> groundTruth(LocalCloud cloud, List<SimulatedAccount> accounts) {
    Map<String, List<String>> rows = new TreeMap<>();
    for (SimulatedAccount account : accounts) {
      for (SimulatedCase c : cloud.simulation().cases(account.id())) {
        List<String> row = withSubjectOnOneLine(List.of(c.displayId(), c.status(), c.severityCode(), c.serviceCode(), c.subject(),
            c.timeCreated(), c.submittedBy(), account.id()));
        rows.put(key(row), row);
      }
    }
    return rows;
  }

  /** The one difference casefeed makes in the seed's columns: each line break in the subject becomes a space. */
  private static List<String> withSubjectOnOneLine(List<String> seedRow) {
    List<String> row = new ArrayList<>(seedRow);
    row.set(4, row.get(4).replace("\r\n", " ").replace('\r', ' ').replace('\n', ' '));
    return List.copyOf(row);
  }

  /** A case in the seed's columns is known by its account-id and case-id (the displayId). */
  private static String key(List<String> seedColumns) {
    return seedColumns.get(7) + ":" + seedColumns.get(0);
  }

  private static S3Client s3Client(LocalCloud cloud) {
    return S3Client.builder().endpointOverride(cloud.s3Endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(cloud.accessKeyId(), cloud.secretAccessKey())))
        .build();
  }
}
