package io.casefeed.localcloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

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
  void theSeedLambdaRunsUnchangedAgainstLocalCloud() throws Exception {
    List<SimulatedAccount> accounts = cloud.simulation().accounts();
    List<SimulatedAccount> reported = List.of(accounts.get(0), accounts.get(5), accounts.get(7));
    List<SimulatedAccount> failing = List.of(accounts.get(1), accounts.get(2));
    try (S3Client s3 = AwsClients.s3(cloud)) {
      s3.createBucket(r -> r.bucket("seed-reports"));
      List<String> ids = new ArrayList<>();
      reported.forEach(a -> ids.add(a.id()));
      failing.forEach(a -> ids.add(a.id()));
      s3.putObject(r -> r.bucket("seed-reports").key("accounts.txt"), RequestBody.fromString(String.join("\n", ids) + "\n"));
      Map<String, String> env = endpoints();
      env.put("BUCKET_NAME", "seed-reports");
      env.put("SENDER", "casefeed@example.com");
      env.put("RECIPIENT", "ops@example.com");
      int before = cloud.outbox().size();
      List<String> printed = ExternalProgram.run(workDir, env, List.of(ExternalProgram.PYTHON,
          ExternalProgram.resource("python/with_endpoints.py").toString(),
          ExternalProgram.resource("seed-lambda/lambda_function.py").toString(), "lambda_handler")).lines().toList();
      assertThat(printed).contains("skipping " + accounts.get(1).id() + ": SubscriptionRequiredException",
          "skipping " + accounts.get(2).id() + ": AccessDenied");
      JsonNode result = JSON.readTree(printed.get(printed.size() - 1));

      assertThat(result.path("failedAccounts")).extracting(JsonNode::asText)
          .containsExactlyInAnyOrder(accounts.get(1).id(), accounts.get(2).id());
      String csv = s3.getObjectAsBytes(r -> r.bucket("seed-reports").key("case_list.csv")).asUtf8String();
      List<String> lines = csv.lines().toList();
      assertThat(lines.get(0)).isEqualTo("case-id,status,severity,service,subject,createdtime,case-owner,account-id");
      List<String> expectedIds = new ArrayList<>();
      for (SimulatedAccount account : reported) {
        cloud.simulation().cases(account.id()).stream().filter(c -> c.language().equals("en"))
            .forEach(c -> expectedIds.add(c.caseId() + "," + c.status() + "," + c.severityCode() + "," + account.id()));
      }
      List<String> actualIds = lines.subList(1, lines.size()).stream().map(line -> {
        String[] cells = line.split(",");
        return cells[0] + "," + cells[1] + "," + cells[2] + "," + cells[cells.length - 1];
      }).toList();
      assertThat(actualIds).containsExactlyInAnyOrderElementsOf(expectedIds);
      assertThat(result.path("cases").asInt()).isEqualTo(expectedIds.size());

      assertThat(cloud.outbox()).hasSize(before + 1);
      OutboxMessage mail = cloud.outbox().get(before);
      assertThat(mail.from()).isEqualTo("casefeed@example.com");
      assertThat(mail.to()).containsExactly("ops@example.com");
      assertThat(new String(mail.rawMime(), StandardCharsets.UTF_8)).contains("filename=\"case_list.csv\"");
    }
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
