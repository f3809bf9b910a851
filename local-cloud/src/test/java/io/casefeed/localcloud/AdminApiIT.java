package io.casefeed.localcloud;

import static io.casefeed.localcloud.SupportApiIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.support.SupportClient;

/** The admin HTTP API under /_localcloud/, checked against the simulation and real SDK calls. */
class AdminApiIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path dataDir;
  static LocalCloud cloud;
  static SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeAll
  static void start() {
    cloud = LocalCloud.start(LocalCloudOptions.builder().dataDir(dataDir).accounts(6).seed(8L).meterRegistry(meters).build());
  }

  @AfterAll
  static void stop() {
    cloud.close();
  }

  @Test
  void groundTruthPauseAndResume() throws Exception {
    assertThat(call("POST", "/pause", "").path("paused").asBoolean()).isTrue();
    assertThat(cloud.simulation().isPaused()).isTrue();
    JsonNode accounts = call("GET", "/accounts", null);
    assertThat(accounts.size()).isEqualTo(6);
    assertThat(accounts.get(1).path("supportPlan").asBoolean()).isFalse();
    String accountId = accounts.get(0).path("id").asText();
    JsonNode cases = call("GET", "/cases?account=" + accountId, null);
    assertThat(cases.size()).isEqualTo(cloud.simulation().cases(accountId).size());
    assertThat(cases.get(0).path("caseId").asText()).isEqualTo(cloud.simulation().cases(accountId).get(0).caseId());
    assertThat(call("GET", "/cases", null).size()).isEqualTo(6);
    assertThat(call("POST", "/resume", "").path("paused").asBoolean()).isFalse();
    call("POST", "/pause", "");
  }

  @Test
  void casesAreCreatedAndChanged() throws Exception {
    String accountId = cloud.managementAccountId();
    JsonNode created = call("POST", "/cases", "{\"accountId\":\"" + accountId
        + "\",\"subject\":\"From the admin API\",\"serviceCode\":\"aws-lambda\",\"severityCode\":\"normal\",\"language\":\"ja\"}");
    String caseId = created.path("caseId").asText();
    assertThat(cloud.simulation().findCase(caseId)).get().extracting(SimulatedCase::language).isEqualTo("ja");
    assertThat(call("POST", "/cases/" + caseId, "{\"status\":\"work-in-progress\"}").path("status").asText())
        .isEqualTo("work-in-progress");
    assertThat(call("POST", "/cases/" + caseId, "{\"severity\":\"urgent\"}").path("severityCode").asText()).isEqualTo("urgent");
    JsonNode replied = call("POST", "/cases/" + caseId, "{\"communication\":{\"fromAws\":true,\"body\":\"Looking\"}}");
    assertThat(replied.path("communications").get(0).path("submittedBy").asText()).isEqualTo("Amazon Web Services");
    assertThat(call("POST", "/cases/" + caseId, "{\"resolve\":true}").path("status").asText()).isEqualTo("resolved");
    assertThat(call("POST", "/cases/" + caseId, "{\"reopen\":true}").path("status").asText()).isEqualTo("reopened");
    assertThat(cloud.simulation().findCase(caseId).orElseThrow().status()).isEqualTo("reopened");
    assertThat(status("POST", "/cases/case-unknown", "{\"resolve\":true}")).isEqualTo(404);
    assertThat(status("POST", "/cases/" + caseId, "{\"status\":\"closed\"}")).isEqualTo(400);
    assertThat(status("GET", "/nothing-here", null)).isEqualTo(404);
  }

  @Test
  void faultsAreInjectedListedAndClearedAndCallsCounted() throws Exception {
    call("DELETE", "/calls", null);
    try (SupportClient support = AwsClients.support(cloud, AwsClients.management(cloud))) {
      support.describeSeverityLevels(r -> { });
      JsonNode faults = call("POST", "/faults", "{\"throttle\":{\"operation\":\"Support.DescribeCases\",\"callsPerSecond\":0.001,\"burst\":1}}");
      assertThat(faults.path("throttles").size()).isGreaterThanOrEqualTo(1);
      support.describeCases(r -> { });
      assertError(() -> support.describeCases(r -> { }), 400, "ThrottlingException");
      support.describeSeverityLevels(r -> { });
      call("DELETE", "/faults", null);
      support.describeCases(r -> { });
      call("POST", "/faults", "{\"serverErrorRate\":1.0}");
      assertError(() -> support.describeSeverityLevels(r -> { }), 500, "InternalServerError");
      call("DELETE", "/faults", null);
    }
    JsonNode calls = call("GET", "/calls", null);
    assertThat(calls.path("Support.DescribeCases:" + cloud.managementAccountId()).asLong()).isEqualTo(3);
    assertThat(calls.path("Support.DescribeSeverityLevels:" + cloud.managementAccountId()).asLong()).isEqualTo(3);
    assertThat(meters.get("localcloud.aws.calls").tags("service", "Support", "operation", "DescribeCases",
        "outcome", "ThrottlingException").counter().count()).isEqualTo(1.0);
    assertThat(meters.get("localcloud.aws.calls").tags("service", "Support", "operation", "DescribeSeverityLevels",
        "outcome", "InternalServerError").counter().count()).isEqualTo(1.0);
  }

  @Test
  void theOutboxIsListedAndResetEmptiesIt() throws Exception {
    try (SesV2Client ses = AwsClients.sesV2(cloud, AwsClients.management(cloud))) {
      ses.sendEmail(r -> r.fromEmailAddress("casefeed@example.com").destination(d -> d.toAddresses("ops@example.com"))
          .content(c -> c.simple(m -> m.subject(s -> s.data("admin")).body(b -> b.text(t -> t.data("body"))))));
    }
    JsonNode outbox = call("GET", "/outbox", null);
    assertThat(outbox.size()).isGreaterThanOrEqualTo(1);
    assertThat(outbox.get(outbox.size() - 1).path("to").get(0).asText()).isEqualTo("ops@example.com");
    assertThat(Path.of(outbox.get(outbox.size() - 1).path("file").asText())).isRegularFile();

    String created = cloud.simulation().createCase(cloud.managementAccountId(), "gone after reset", null, null, null).caseId();
    call("POST", "/reset", "");
    assertThat(call("GET", "/outbox", null).size()).isZero();
    assertThat(cloud.simulation().findCase(created)).isEmpty();
    assertThat(cloud.simulation().accounts()).hasSize(6);
  }

  private static JsonNode call(String method, String path, String body) throws Exception {
    HttpResponse<String> response = send(method, path, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static int status(String method, String path, String body) throws Exception {
    return send(method, path, body).statusCode();
  }

  private static HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
    return HTTP.send(HttpRequest.newBuilder(URI.create(cloud.awsEndpoint() + "/_localcloud" + path))
        .method(method, publisher).header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
  }
}
