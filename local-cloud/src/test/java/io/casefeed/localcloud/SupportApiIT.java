package io.casefeed.localcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.support.SupportClient;
import software.amazon.awssdk.services.support.model.CaseDetails;
import software.amazon.awssdk.services.support.model.Communication;
import software.amazon.awssdk.services.support.model.DescribeCasesRequest;
import software.amazon.awssdk.services.support.model.DescribeCasesResponse;
import software.amazon.awssdk.services.support.model.SupportException;

/** AWS Support through the real SDK v2 client: pagination, every filter, every error, account scoping. */
class SupportApiIT {

  /** Index 5 holds 35 open and 7 resolved English cases; index 6 holds Japanese ones. */
  static final Scenario SCENARIO = new Scenario(7L, 12, null, null, null, null, null, 3, 8, 60, null, 0.0, null, null, null,
      List.of(new Scenario.AccountSpec(5, "pagination", null, null, null, false, false, 35, 7, "en"),
          new Scenario.AccountSpec(6, "japanese", null, null, null, false, false, 12, 3, "ja"),
          new Scenario.AccountSpec(7, "communications", null, null, null, false, false, 3, 0, "en")));

  @TempDir
  static Path dataDir;
  static LocalCloud cloud;
  static SimulatedAccount paginationAccount;
  static SupportClient member;

  @BeforeAll
  static void start() {
    cloud = LocalCloud.start(LocalCloudOptions.builder().port(0).dataDir(dataDir).scenario(SCENARIO).build());
    cloud.simulation().pause();
    paginationAccount = cloud.simulation().accounts().get(5);
    member = AwsClients.support(cloud, AwsClients.assumeRole(cloud, paginationAccount.id()));
  }

  @AfterAll
  static void stop() {
    member.close();
    cloud.close();
  }

  @BeforeEach
  void clean() {
    cloud.simulation().faults().clear();
    cloud.simulation().resetCallCounts();
  }

  @Test
  void maxResultsTenOverThirtyFiveCasesTakesExactlyFourPages() {
    List<CaseDetails> seen = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String token = null;
    do {
      DescribeCasesResponse page = member.describeCases(DescribeCasesRequest.builder().maxResults(10).nextToken(token).build());
      pageSizes.add(page.cases().size());
      seen.addAll(page.cases());
      token = page.nextToken();
    } while (token != null);

    assertThat(pageSizes).containsExactly(10, 10, 10, 5);
    assertThat(cloud.simulation().callCounts()).containsEntry("Support.DescribeCases:" + paginationAccount.id(), 4L);
    Set<String> expected = cloud.simulation().cases(paginationAccount.id()).stream()
        .filter(c -> !c.resolved()).map(SimulatedCase::caseId).collect(Collectors.toSet());
    assertThat(seen).extracting(CaseDetails::caseId).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void thePaginatorSeesEveryCaseOfTheAccountIncludingResolvedOnes() {
    List<CaseDetails> seen = member.describeCasesPaginator(r -> r.includeResolvedCases(true).maxResults(10)).cases()
        .stream().toList();
    assertThat(seen).extracting(CaseDetails::caseId).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
        cloud.simulation().cases(paginationAccount.id()).stream().map(SimulatedCase::caseId).toList());
    assertThat(seen.size()).isGreaterThanOrEqualTo(42);
    for (CaseDetails details : seen) {
      SimulatedCase truth = cloud.simulation().findCase(details.caseId()).orElseThrow();
      assertThat(details.status()).isEqualTo(truth.status());
      assertThat(details.severityCode()).isEqualTo(truth.severityCode());
      assertThat(details.subject()).isEqualTo(truth.subject());
      assertThat(details.timeCreated()).isEqualTo(truth.timeCreated()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
      assertThat(details.caseId()).matches("case-" + paginationAccount.id() + "-\\d{4}-[0-9a-f]{16}");
      assertThat(details.displayId()).matches("\\d+");
      assertThat(details.language()).isEqualTo("en");
    }
  }

  @Test
  void languageFiltersWhatIsReturned() {
    SimulatedAccount japanese = cloud.simulation().accounts().get(6);
    try (SupportClient client = AwsClients.support(cloud, AwsClients.assumeRole(cloud, japanese.id()))) {
      assertThat(client.describeCases(r -> r.includeResolvedCases(true)).cases()).isEmpty();
      List<CaseDetails> ja = client.describeCases(r -> r.includeResolvedCases(true).language("ja")).cases();
      assertThat(ja).hasSize(15).allSatisfy(c -> assertThat(c.language()).isEqualTo("ja"));
    }
  }

  @Test
  void caseIdListDisplayIdAndTimeWindowFilter() {
    List<SimulatedCase> truth = cloud.simulation().cases(paginationAccount.id());
    SimulatedCase resolved = truth.stream().filter(SimulatedCase::resolved).findFirst().orElseThrow();
    SimulatedCase open = truth.stream().filter(c -> !c.resolved()).findFirst().orElseThrow();

    assertThat(member.describeCases(r -> r.caseIdList(open.caseId(), resolved.caseId())).cases())
        .extracting(CaseDetails::caseId).containsExactly(open.caseId());
    assertThat(member.describeCases(r -> r.caseIdList(open.caseId(), resolved.caseId()).includeResolvedCases(true)).cases())
        .extracting(CaseDetails::caseId).containsExactlyInAnyOrder(open.caseId(), resolved.caseId());
    assertThat(member.describeCases(r -> r.displayId(open.displayId())).cases())
        .extracting(CaseDetails::caseId).containsExactly(open.caseId());

    List<SimulatedCase> sorted = truth.stream().sorted((a, b) -> a.timeCreated().compareTo(b.timeCreated())).toList();
    String after = sorted.get(10).timeCreated();
    String before = sorted.get(30).timeCreated();
    Set<String> expected = sorted.stream()
        .filter(c -> c.timeCreated().compareTo(after) >= 0 && c.timeCreated().compareTo(before) < 0)
        .map(SimulatedCase::caseId).collect(Collectors.toSet());
    List<CaseDetails> window = member.describeCasesPaginator(r -> r.afterTime(after).beforeTime(before)
        .includeResolvedCases(true).maxResults(10)).cases().stream().toList();
    assertThat(window).extracting(CaseDetails::caseId).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(expected).hasSize(20);
  }

  @Test
  void recentCommunicationsAreTheFiveNewestAndTheRestArePaginated() {
    SimulatedAccount account = cloud.simulation().accounts().get(7);
    SimulatedCase target = cloud.simulation().cases(account.id()).get(0);
    for (int i = 0; i < 12; i++) {
      cloud.simulation().addCommunication(target.caseId(), i % 2 == 0, "message " + i);
    }
    SimulatedCase truth = cloud.simulation().findCase(target.caseId()).orElseThrow();
    try (SupportClient client = AwsClients.support(cloud, AwsClients.assumeRole(cloud, account.id()))) {
      CaseDetails details = client.describeCases(r -> r.caseIdList(target.caseId())).cases().get(0);
      assertThat(details.recentCommunications().communications()).extracting(Communication::body)
          .containsExactlyElementsOf(truth.communications().subList(0, 5).stream().map(SimulatedCommunication::body).toList());
      assertThat(details.recentCommunications().nextToken()).isNotNull();

      List<String> rest = new ArrayList<>();
      String token = details.recentCommunications().nextToken();
      while (token != null) {
        String current = token;
        var page = client.describeCommunications(r -> r.caseId(target.caseId()).nextToken(current).maxResults(10));
        page.communications().forEach(c -> rest.add(c.body()));
        token = page.nextToken();
      }
      assertThat(rest).containsExactlyElementsOf(
          truth.communications().subList(5, truth.communications().size()).stream().map(SimulatedCommunication::body).toList());
      assertThat(client.describeCases(r -> r.caseIdList(target.caseId()).includeCommunications(false)).cases().get(0)
          .recentCommunications()).isNull();
      assertThat(client.describeCommunications(r -> r.caseId(target.caseId())).communications())
          .extracting(Communication::submittedBy)
          .containsExactlyElementsOf(truth.communications().stream().map(SimulatedCommunication::submittedBy).toList())
          .contains("Amazon Web Services");
    }
  }

  @Test
  void createAddCommunicationAndResolveChangeTheGroundTruth() {
    String caseId = member.createCase(r -> r.subject("Bucket listing slow").communicationBody("It takes 30 s.")
        .serviceCode("amazon-simple-storage-service").severityCode("high").language("en")).caseId();
    assertThat(caseId).startsWith("case-" + paginationAccount.id() + "-");
    assertThat(cloud.simulation().findCase(caseId)).get().satisfies(c -> {
      assertThat(c.status()).isEqualTo("unassigned");
      assertThat(c.severityCode()).isEqualTo("high");
    });
    assertThat(member.addCommunicationToCase(r -> r.caseId(caseId).communicationBody("More detail")).result()).isTrue();
    assertThat(cloud.simulation().findCase(caseId).orElseThrow().communications().get(0).body()).isEqualTo("More detail");
    var resolved = member.resolveCase(r -> r.caseId(caseId));
    assertThat(resolved.initialCaseStatus()).isEqualTo("customer-action-completed");
    assertThat(resolved.finalCaseStatus()).isEqualTo("resolved");
    assertThat(cloud.simulation().findCase(caseId).orElseThrow().resolved()).isTrue();
    cloud.simulation().reopen(caseId);
  }

  @Test
  void servicesAndSeverityLevelsAreListed() {
    assertThat(member.describeSeverityLevels(r -> { }).severityLevels()).extracting(l -> l.code())
        .containsExactly("low", "normal", "high", "urgent", "critical");
    assertThat(member.describeServices(r -> r.serviceCodeList("aws-lambda")).services())
        .singleElement().satisfies(s -> assertThat(s.categories()).isNotEmpty());
  }

  @Test
  void credentialsFromAssumeRoleSeeOnlyTheirAccount() {
    SimulatedAccount other = cloud.simulation().accounts().get(6);
    SimulatedCase foreign = cloud.simulation().cases(other.id()).get(0);
    assertThatThrownBy(() -> member.describeCases(r -> r.caseIdList(foreign.caseId())))
        .isInstanceOfSatisfying(SupportException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("CaseIdNotFound"));
    try (SupportClient management = AwsClients.support(cloud, AwsClients.management(cloud))) {
      Set<String> managementCases = cloud.simulation().cases(cloud.managementAccountId()).stream()
          .filter(c -> !c.resolved() && c.language().equals("en")).map(SimulatedCase::caseId).collect(Collectors.toSet());
      assertThat(management.describeCases(r -> { }).cases()).extracting(CaseDetails::caseId)
          .containsExactlyInAnyOrderElementsOf(managementCases);
    }
  }

  @Test
  void invalidParametersAreValidationErrors() {
    assertError(() -> member.describeCases(r -> r.maxResults(5)), 400, "ValidationException");
    assertError(() -> member.describeCases(r -> r.maxResults(101)), 400, "ValidationException");
    assertError(() -> member.describeCases(r -> r.afterTime("yesterday")), 400, "ValidationException");
    String token = member.describeCases(r -> r.maxResults(10)).nextToken();
    assertError(() -> member.describeCases(r -> r.maxResults(10).nextToken(token).includeResolvedCases(true)), 400,
        "ValidationException");
    assertError(() -> member.describeCases(r -> r.maxResults(10).nextToken("garbage!")), 400, "ValidationException");
    List<String> tooMany = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      tooMany.add("case-" + i);
    }
    assertError(() -> member.describeCases(r -> r.caseIdList(tooMany)), 400, "ValidationException");
    assertError(() -> member.describeCases(r -> r.caseIdList("case-000000000000-2024-0000000000000000")), 400, "CaseIdNotFound");
    assertError(() -> member.resolveCase(r -> r.caseId("case-000000000000-2024-0000000000000000")), 400, "CaseIdNotFound");
  }

  @Test
  void anAccountWithoutSupportPlanGetsSubscriptionRequired() {
    SimulatedAccount noPlan = cloud.simulation().accounts().get(1);
    assertThat(noPlan.supportPlan()).isFalse();
    try (SupportClient client = AwsClients.support(cloud, AwsClients.assumeRole(cloud, noPlan.id()))) {
      assertError(() -> client.describeCases(r -> { }), 400, "SubscriptionRequiredException");
      assertError(() -> client.describeSeverityLevels(r -> { }), 400, "SubscriptionRequiredException");
    }
  }

  @Test
  void unknownKeysAndWrongSecretsAreRefused() {
    try (SupportClient client = AwsClients.support(cloud, AwsBasicCredentials.create("AKIAUNKNOWN", "secret"))) {
      assertError(() -> client.describeCases(r -> { }), 400, "UnrecognizedClientException");
    }
    try (SupportClient client = AwsClients.support(cloud, AwsBasicCredentials.create(cloud.accessKeyId(), "not-the-secret"))) {
      assertError(() -> client.describeCases(r -> { }), 403, "InvalidSignatureException");
    }
  }

  @Test
  void injectedThrottlingAndServerErrorsTakeTheAwsShapes() {
    cloud.simulation().faults().throttle(paginationAccount.id(), "DescribeCases", 0.001, 1);
    member.describeCases(r -> { });
    assertError(() -> member.describeCases(r -> { }), 400, "ThrottlingException");
    member.describeSeverityLevels(r -> { });
    cloud.simulation().faults().clear().serverErrorRate(1.0);
    assertError(() -> member.describeCases(r -> { }), 500, "InternalServerError");
  }

  @Test
  void aThrottledAccountIsThrottledBeyondTwoCallsPerSecondEvenAfterFaultsAreCleared() {
    SimulatedAccount throttled = cloud.simulation().accounts().get(4);
    assertThat(cloud.simulation().throttledAccounts()).containsExactly(throttled.id());
    try (SupportClient client = AwsClients.support(cloud, AwsClients.assumeRole(cloud, throttled.id()))) {
      int throttledCalls = 0;
      for (int i = 0; i < 6; i++) {
        try {
          client.describeCases(r -> { });
        } catch (SupportException e) {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
          throttledCalls++;
        }
      }
      assertThat(throttledCalls).as("6 calls at once against a bucket of 2 at 2/s").isGreaterThanOrEqualTo(2);
      member.describeCases(r -> { });
    }
  }

  static void assertError(Runnable call, int status, String code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(software.amazon.awssdk.awscore.exception.AwsServiceException.class, e -> {
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
      assertThat(e.statusCode()).isEqualTo(status);
    });
  }
}
