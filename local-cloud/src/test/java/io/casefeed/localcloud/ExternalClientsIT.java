package io.casefeed.localcloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.common.testing.ExternalProgram;
import io.casefeed.schema.SweepRecord;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Clients local-cloud did not write: Debian's AWS CLI v2, boto3, the seed's own Lambda code, and
 * Confluent's Python schema-registry client with python3-avro.
 */
class ExternalClientsIT {

  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path workDir;
  static LocalCloud cloud;
  static SimulatedAccount member;

  @BeforeAll
  static void start() {
    cloud = LocalCloud.start(LocalCloudOptions.builder().dataDir(workDir.resolve("data"))
        .scenario(SupportApiIT.SCENARIO).build());
    cloud.simulation().pause();
    member = cloud.simulation().accounts().get(5);
  }

  @AfterAll
  static void stop() {
    cloud.close();
  }

  private static Map<String, String> endpoints() {
    Map<String, String> env = new HashMap<>();
    env.put("LOCALCLOUD_AWS", cloud.awsEndpoint().toString());
    env.put("LOCALCLOUD_S3", cloud.s3Endpoint().toString());
    env.put("AWS_ACCESS_KEY_ID", cloud.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", cloud.secretAccessKey());
    return env;
  }

  @Test
  void awsCliAssumesTheRoleAndDescribeCasesReturnsExactlyTheGroundTruth() throws Exception {
    JsonNode assumed = JSON.readTree(ExternalProgram.run(workDir, endpoints(), List.of(ExternalProgram.AWS_CLI,
        "sts", "assume-role", "--role-arn", "arn:aws:iam::" + member.id() + ":role/GetSupportInfoRole",
        "--role-session-name", "cli", "--endpoint-url", cloud.awsEndpoint().toString(), "--output", "json")));
    JsonNode credentials = assumed.path("Credentials");
    assertThat(credentials.path("AccessKeyId").asText()).startsWith("ASIA");

    Map<String, String> asMember = endpoints();
    asMember.put("AWS_ACCESS_KEY_ID", credentials.path("AccessKeyId").asText());
    asMember.put("AWS_SECRET_ACCESS_KEY", credentials.path("SecretAccessKey").asText());
    asMember.put("AWS_SESSION_TOKEN", credentials.path("SessionToken").asText());
    JsonNode reply = JSON.readTree(ExternalProgram.run(workDir, asMember, List.of(ExternalProgram.AWS_CLI,
        "support", "describe-cases", "--include-resolved-cases", "--endpoint-url", cloud.awsEndpoint().toString(),
        "--output", "json")));
    assertMatchesGroundTruth(reply.path("cases"), member.id());
  }

  @Test
  void boto3AssumesTheRoleAndPagesThroughTheGroundTruth() throws Exception {
    JsonNode reply = JSON.readTree(ExternalProgram.run(workDir, endpoints(), List.of(ExternalProgram.PYTHON,
        ExternalProgram.resource("python/boto3_support.py").toString(), member.id())));
    assertThat(reply.path("account").asText()).isEqualTo(member.id());
    assertThat(reply.path("validation").asText()).isEqualTo("ValidationException");
    assertThat(Duration.between(Instant.now(), Instant.parse(reply.path("expiration").asText().replace("+00:00", "Z"))))
        .isBetween(Duration.ofMinutes(55), Duration.ofMinutes(61));
    int expected = cloud.simulation().cases(member.id()).size();
    assertThat(reply.path("pages").asInt()).isEqualTo((expected + 9) / 10);
    assertMatchesGroundTruth(reply.path("cases"), member.id());
  }

  @Test
  void confluentsPythonClientRegistersFetchesAndDecodesAJavaWrittenRecord() throws Exception {
    Instant started = Instant.parse("2026-03-05T07:15:42.123Z");
    SweepRecord sweep = SweepRecord.newBuilder().setAccountId(member.id()).setPollId("poll-1").setPollKind("sweep")
        .setOutcome("ok").setPages(4).setApiCalls(5).setCases(35).setStartedAt(started)
        .setFinishedAt(started.plus(2, ChronoUnit.SECONDS)).setDurationMs(2000).build();
    byte[] framed;
    try (AvroSerde<SweepRecord> serde = new AvroSerde<>(SweepRecord.class, new HttpSchemaRegistryClient(cloud.schemaRegistryUrl()))) {
      framed = serde.serialize("casefeed.sweeps", sweep);
    }
    Path file = Files.write(workDir.resolve("sweep.bin"), framed);
    JsonNode reply = JSON.readTree(ExternalProgram.run(workDir, Map.of(), List.of(ExternalProgram.PYTHON,
        ExternalProgram.resource("python/confluent_registry.py").toString(), cloud.schemaRegistryUrl(), file.toString())));
    assertThat(reply.path("probeSchemaRoundTrips").asBoolean()).isTrue();
    assertThat(reply.path("lookedUpId").asInt()).isEqualTo(reply.path("probeId").asInt());
    assertThat(reply.path("latestVersion").asInt()).isEqualTo(1);
    assertThat(reply.path("subjects")).extracting(JsonNode::asText).contains("python-probe-value", "casefeed.sweeps-value");
    assertThat(reply.path("magic").asInt()).isZero();
    JsonNode record = reply.path("record");
    assertThat(record.path("accountId").asText()).isEqualTo(member.id());
    assertThat(record.path("pollKind").asText()).isEqualTo("sweep");
    assertThat(record.path("pages").asInt()).isEqualTo(4);
    assertThat(record.path("cases").asInt()).isEqualTo(35);
    assertThat(record.path("reason").isNull()).isTrue();
    assertThat(record.path("startedAt").asText()).startsWith("2026-03-05 07:15:42.123");
  }

  @Test
  void everyReplyConformsToBotocoresServiceModels() throws Exception {
    JsonNode report = JSON.readTree(ExternalProgram.run(workDir, endpoints(), List.of(ExternalProgram.PYTHON,
        ExternalProgram.resource("python/validate_shapes.py").toString(), member.id())));
    assertThat(report.path("checked")).extracting(JsonNode::asText).containsExactlyInAnyOrder(
        "support.DescribeCases", "support.DescribeCommunications", "support.CreateCase", "support.AddCommunicationToCase",
        "support.ResolveCase", "support.DescribeServices", "support.DescribeSeverityLevels",
        "sts.AssumeRole", "sts.GetCallerIdentity", "organizations.ListAccounts",
        "sesv2.SendEmail", "ses.SendEmail", "ses.SendRawEmail");
    assertThat(report.path("violations")).isEmpty();
  }

  /**
   * The seed's own Lambda code (resources seed-lambda/lambda_function.py: the article's code with only
   * its placeholders filled), invoked by invoke_locally.py with boto3 pointed at local-cloud, against an
   * organisation of its own: a hot account with more English cases in the seed's window than one
   * DescribeCases page and as many Japanese ones, ordinary accounts, and accounts the seed cannot read.
   */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class SeedLambda {

    static final Scenario SEED_SCENARIO = new Scenario(11L, 6, null, null, null, null, null, 6, 14, 600, null, 0.0,
        null, null, null, List.of(new Scenario.AccountSpec(4, null, null, null, null, null, false, null, null, null)));
    static final int SEED_DELTA_DAYS = -365;
    static final int DESCRIBE_CASES_DEFAULT_PAGE = 100;
    static final String ACCOUNTS_KEY = "config/accounts.txt";
    static final String REPORT_KEY = "casefile/case_list.csv";
    static final String SENDER = "support-report@example.com";
    static final List<String> RECIPIENTS = List.of("ops@example.com", "leads@example.com");

    LocalCloud seedCloud;
    S3Client s3;

    @BeforeAll
    void start() {
      seedCloud = LocalCloud.start(LocalCloudOptions.builder().dataDir(workDir.resolve("seed-data")).scenario(SEED_SCENARIO).build());
      seedCloud.simulation().pause();
      s3 = AwsClients.s3(seedCloud);
    }

    @AfterAll
    void stop() {
      s3.close();
      seedCloud.close();
    }

    @Test
    void theSeedWritesTheFirstPageOfEachListedAccountsEnglishCasesAndMailsIt() throws Exception {
      List<SimulatedAccount> listed = List.of(account(0), account(3), account(4), account(5));
      SimulatedAccount hot = account(3);
      putAccountFile("seed-reports", listed);
      seedCloud.simulation().resetCallCounts();
      int mailsBefore = seedCloud.outbox().size();

      Instant invokedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      SeedRun run = invokeSeed("seed-reports");
      Instant returnedAt = Instant.now();
      assertThat(run.exitCode()).as(run.stderr()).isZero();

      byte[] report = s3.getObjectAsBytes(r -> r.bucket("seed-reports").key(REPORT_KEY)).asByteArray();
      List<List<String>> rows = readCsv(report);
      assertThat(rows.get(0)).containsExactly("case-id", "status", "severity", "service", "subject", "createdtime",
          "case-owner", "account-id");
      List<List<String>> written = rows.subList(1, rows.size());
      // The seed's afterTime is "now - 365 days" at a second of the run that the test cannot see; the
      // rows differ between the two ends only if a case was created within that second, a year ago.
      List<List<String>> expected = firstPages(listed, invokedAt.plus(SEED_DELTA_DAYS, ChronoUnit.DAYS));
      if (!written.equals(expected)) {
        expected = firstPages(listed, returnedAt.plus(SEED_DELTA_DAYS, ChronoUnit.DAYS));
      }
      assertThat(written).containsExactlyElementsOf(expected);
      assertThat(written).extracting(row -> row.get(0)).allMatch(displayId -> displayId.matches("\\d+"));
      assertThat(run.stdout().lines()).hasSize(written.size());

      List<SimulatedCase> hotEnglishInWindow = seedCloud.simulation().cases(hot.id()).stream()
          .filter(c -> c.language().equals("en"))
          .filter(c -> !Instant.parse(c.timeCreated()).isBefore(returnedAt.plus(SEED_DELTA_DAYS, ChronoUnit.DAYS))).toList();
      assertThat(hotEnglishInWindow).hasSizeGreaterThan(DESCRIBE_CASES_DEFAULT_PAGE);
      assertThat(written).filteredOn(row -> row.get(7).equals(hot.id())).hasSize(DESCRIBE_CASES_DEFAULT_PAGE);
      assertThat(seedCloud.simulation().cases(hot.id())).anyMatch(c -> c.language().equals("ja"));
      Map<String, Long> calls = seedCloud.simulation().callCounts();
      for (SimulatedAccount account : listed) {
        assertThat(calls).containsEntry("Support.DescribeCases:" + account.id(), 1L);
      }

      assertThat(seedCloud.outbox()).hasSize(mailsBefore + 1);
      OutboxMessage mail = seedCloud.outbox().get(mailsBefore);
      assertThat(mail.from()).isEqualTo(SENDER);
      assertThat(mail.to()).containsExactlyElementsOf(RECIPIENTS);
      String mime = new String(mail.rawMime(), StandardCharsets.UTF_8);
      assertThat(mime).contains("Subject: Case Status", "filename=\"case_list.xlsx\"");
      assertThat(attachment(mime, "case_list.xlsx")).isEqualTo(report);
    }

    @Test
    void theSeedStopsAtAnAccountWithoutASupportPlanAndReportsNothing() throws Exception {
      SimulatedAccount noSupportPlan = account(1);
      assertThat(noSupportPlan.supportPlan()).isFalse();
      putAccountFile("seed-stops", List.of(account(3), noSupportPlan, account(5)));
      seedCloud.simulation().resetCallCounts();
      int mailsBefore = seedCloud.outbox().size();

      SeedRun run = invokeSeed("seed-stops");

      assertThat(run.exitCode()).isNotZero();
      assertThat(run.stderr()).contains("SubscriptionRequiredException", "DescribeCases");
      assertThat(run.stdout().lines()).as("rows printed before the failure").hasSize(DESCRIBE_CASES_DEFAULT_PAGE);
      assertThat(seedCloud.simulation().callCounts())
          .containsEntry("Support.DescribeCases:" + account(3).id(), 1L)
          .containsEntry("Support.DescribeCases:" + noSupportPlan.id(), 1L)
          .doesNotContainKey("Support.DescribeCases:" + account(5).id());
      assertThat(s3.listObjectsV2(r -> r.bucket("seed-stops")).contents()).extracting(S3Object::key)
          .containsExactly(ACCOUNTS_KEY);
      assertThat(seedCloud.outbox()).hasSize(mailsBefore);
    }

    private SimulatedAccount account(int index) {
      return seedCloud.simulation().accounts().get(index);
    }

    private void putAccountFile(String bucket, List<SimulatedAccount> accounts) {
      s3.createBucket(r -> r.bucket(bucket));
      String lines = accounts.stream().map(account -> account.id() + "\n").collect(Collectors.joining());
      s3.putObject(r -> r.bucket(bucket).key(ACCOUNTS_KEY), RequestBody.fromString(lines));
    }

    /** What DescribeCases gives the seed for each account: its first page, English only, as CSV rows. */
    private List<List<String>> firstPages(List<SimulatedAccount> accounts, Instant afterTime) {
      List<List<String>> rows = new ArrayList<>();
      for (SimulatedAccount account : accounts) {
        seedCloud.simulation().cases(account.id()).stream()
            .filter(c -> c.language().equals("en"))
            .filter(c -> !Instant.parse(c.timeCreated()).isBefore(afterTime))
            .limit(DESCRIBE_CASES_DEFAULT_PAGE)
            .forEach(c -> rows.add(List.of(c.displayId(), c.status(), c.severityCode(), c.serviceCode(), c.subject(),
                c.timeCreated(), c.submittedBy(), account.id())));
      }
      return rows;
    }

    /** Runs the seed as its schedule would; a failing run is a result here, not a test error. */
    private SeedRun invokeSeed(String bucket) throws Exception {
      Path stdout = Files.createTempFile(workDir, "seed-stdout", ".txt");
      Path stderr = Files.createTempFile(workDir, "seed-stderr", ".txt");
      ProcessBuilder builder = new ProcessBuilder(ExternalProgram.PYTHON,
          ExternalProgram.resource("seed-lambda/invoke_locally.py").toString(),
          ExternalProgram.resource("seed-lambda/lambda_function.py").toString())
          .directory(workDir.toFile()).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
      Map<String, String> env = builder.environment();
      env.keySet().removeIf(key -> key.startsWith("AWS_"));
      env.put("HOME", workDir.toString());
      env.put("AWS_CONFIG_FILE", workDir.resolve("no-config").toString());
      env.put("AWS_SHARED_CREDENTIALS_FILE", workDir.resolve("no-credentials").toString());
      env.put("AWS_EC2_METADATA_DISABLED", "true");
      env.put("AWS_DEFAULT_REGION", "us-east-1");
      env.put("AWS_ACCESS_KEY_ID", seedCloud.accessKeyId());
      env.put("AWS_SECRET_ACCESS_KEY", seedCloud.secretAccessKey());
      env.put("LOCALCLOUD_AWS", seedCloud.awsEndpoint().toString());
      env.put("LOCALCLOUD_S3", seedCloud.s3Endpoint().toString());
      env.put("SEED_BUCKET", bucket);
      env.put("SEED_ACCOUNTS_KEY", ACCOUNTS_KEY);
      env.put("SEED_SES_SENDFROM", SENDER);
      env.put("SEED_SES_SENDTO", String.join(",", RECIPIENTS));
      env.put("SEED_SES_REGION", "eu-west-1");
      env.put("SEED_DELTA_DAYS", Integer.toString(SEED_DELTA_DAYS));
      Process process = builder.start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the seed Lambda did not finish within 120 s");
      }
      return new SeedRun(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
          Files.readString(stderr, StandardCharsets.UTF_8));
    }
  }

  record SeedRun(int exitCode, String stdout, String stderr) {
  }

  /** Rows as Python's csv module reads them: the reader of the module the seed wrote them with. */
  private static List<List<String>> readCsv(byte[] csv) throws Exception {
    Path file = Files.write(Files.createTempFile(workDir, "report", ".csv"), csv);
    String json = ExternalProgram.run(workDir, Map.of(), List.of(ExternalProgram.PYTHON, "-c",
        "import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))))",
        file.toString()));
    return JSON.readValue(json, new TypeReference<>() {});
  }

  /** The decoded body of the MIME part attached under {@code filename}. */
  private static byte[] attachment(String mime, String filename) {
    int header = mime.indexOf("filename=\"" + filename + "\"");
    assertThat(header).as("attachment %s", filename).isNotNegative();
    Matcher body = Pattern.compile("\\r?\\n\\r?\\n([A-Za-z0-9+/=\\r\\n]+?)\\r?\\n--").matcher(mime);
    assertThat(body.find(header)).as("body of %s", filename).isTrue();
    return Base64.getMimeDecoder().decode(body.group(1));
  }

  /** Every case of the account (English, resolved included), each field as the ground truth has it. */
  private static void assertMatchesGroundTruth(JsonNode cases, String accountId) {
    List<SimulatedCase> truth = cloud.simulation().cases(accountId).stream().filter(c -> c.language().equals("en")).toList();
    assertThat(cases.size()).isEqualTo(truth.size());
    Map<String, JsonNode> byId = new HashMap<>();
    cases.forEach(c -> byId.put(c.path("caseId").asText(), c));
    for (SimulatedCase expected : truth) {
      JsonNode actual = byId.get(expected.caseId());
      assertThat(actual).as(expected.caseId()).isNotNull();
      assertThat(actual.path("displayId").asText()).isEqualTo(expected.displayId());
      assertThat(actual.path("subject").asText()).isEqualTo(expected.subject());
      assertThat(actual.path("status").asText()).isEqualTo(expected.status());
      assertThat(actual.path("serviceCode").asText()).isEqualTo(expected.serviceCode());
      assertThat(actual.path("categoryCode").asText()).isEqualTo(expected.categoryCode());
      assertThat(actual.path("severityCode").asText()).isEqualTo(expected.severityCode());
      assertThat(actual.path("submittedBy").asText()).isEqualTo(expected.submittedBy());
      assertThat(actual.path("timeCreated").asText()).isEqualTo(expected.timeCreated());
      assertThat(actual.path("language").asText()).isEqualTo(expected.language());
      List<String> bodies = new ArrayList<>();
      actual.path("recentCommunications").path("communications").forEach(m -> bodies.add(m.path("body").asText()));
      assertThat(bodies).containsExactlyElementsOf(expected.communications().stream().limit(5)
          .map(SimulatedCommunication::body).toList());
    }
  }
}
