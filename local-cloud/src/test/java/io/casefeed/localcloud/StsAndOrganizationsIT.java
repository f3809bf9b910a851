package io.casefeed.localcloud;

import static io.casefeed.localcloud.SupportApiIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.common.time.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.Account;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.support.SupportClient;

/** STS and Organizations through the real SDK v2 clients, with a clock the test moves to expire credentials. */
class StsAndOrganizationsIT {

  @TempDir
  static Path dataDir;
  static LocalCloud cloud;
  static MutableClock clock = new MutableClock(Instant.now());
  static StsClient sts;

  @BeforeAll
  static void start() {
    cloud = LocalCloud.start(LocalCloudOptions.builder().dataDir(dataDir).accounts(25).seed(3L).clock(clock).build());
    cloud.simulation().pause();
    sts = AwsClients.sts(cloud, AwsClients.management(cloud));
  }

  @AfterAll
  static void stop() {
    sts.close();
    cloud.close();
  }

  @Test
  void assumeRoleIssuesTemporaryCredentialsBoundToTheMemberAccount() {
    SimulatedAccount member = cloud.simulation().accounts().get(5);
    AssumeRoleResponse assumed = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + member.id() + ":role/GetSupportInfoRole")
        .roleSessionName("casefeed").durationSeconds(900));
    assertThat(assumed.credentials().accessKeyId()).startsWith("ASIA");
    assertThat(assumed.credentials().sessionToken()).isNotBlank();
    assertThat(Duration.between(clock.instant(), assumed.credentials().expiration())).isBetween(
        Duration.ofSeconds(890), Duration.ofSeconds(900));
    assertThat(assumed.assumedRoleUser().arn())
        .isEqualTo("arn:aws:sts::" + member.id() + ":assumed-role/GetSupportInfoRole/casefeed");
    try (StsClient asMember = AwsClients.sts(cloud, AwsClients.assumed(assumed))) {
      var identity = asMember.getCallerIdentity();
      assertThat(identity.account()).isEqualTo(member.id());
      assertThat(identity.arn()).isEqualTo(assumed.assumedRoleUser().arn());
    }
    assertThat(sts.getCallerIdentity().account()).isEqualTo(cloud.managementAccountId());
  }

  @Test
  void assumeRoleIsDeniedWithoutTheRoleOrWithBadParameters() {
    SimulatedAccount noRole = cloud.simulation().accounts().stream().filter(a -> !a.hasRole()).findFirst().orElseThrow();
    assertError(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + noRole.id() + ":role/GetSupportInfoRole")
        .roleSessionName("casefeed")), 403, "AccessDenied");
    SimulatedAccount member = cloud.simulation().accounts().get(5);
    assertError(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + member.id() + ":role/SomeOtherRole")
        .roleSessionName("casefeed")), 403, "AccessDenied");
    assertError(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + member.id() + ":role/GetSupportInfoRole")
        .roleSessionName("casefeed").durationSeconds(899)), 400, "ValidationError");
    assertError(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + member.id() + ":role/GetSupportInfoRole")
        .roleSessionName("casefeed").durationSeconds(43201)), 400, "ValidationError");
    assertError(() -> sts.assumeRole(r -> r.roleArn("not-an-arn").roleSessionName("casefeed")), 400, "ValidationError");

    cloud.simulation().faults().revokeRole(member.id());
    try {
      assertError(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + member.id() + ":role/GetSupportInfoRole")
          .roleSessionName("casefeed")), 403, "AccessDenied");
    } finally {
      cloud.simulation().faults().clear();
    }
  }

  @Test
  void expiredCredentialsAreRefused() {
    SimulatedAccount member = cloud.simulation().accounts().get(5);
    AwsCredentials credentials = AwsClients.assumeRole(cloud, member.id());
    try (SupportClient support = AwsClients.support(cloud, credentials); StsClient asMember = AwsClients.sts(cloud, credentials)) {
      assertThat(support.describeSeverityLevels(r -> { }).severityLevels()).isNotEmpty();
      clock.advance(Duration.ofHours(2));
      try {
        assertError(() -> support.describeCases(r -> { }), 400, "ExpiredTokenException");
        assertError(asMember::getCallerIdentity, 400, "ExpiredToken");
      } finally {
        clock.advance(Duration.ofHours(-2));
      }
    }
  }

  @Test
  void unknownKeyAtStsIsInvalidClientTokenId() {
    try (StsClient stranger = AwsClients.sts(cloud,
        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIASTRANGER", "secret"))) {
      assertError(stranger::getCallerIdentity, 403, "InvalidClientTokenId");
    }
  }

  @Test
  void listAccountsPagesThroughEveryAccountActiveAndSuspended() {
    try (OrganizationsClient organizations = AwsClients.organizations(cloud, AwsClients.management(cloud))) {
      cloud.simulation().resetCallCounts();
      List<Account> accounts = organizations.listAccountsPaginator(r -> r.maxResults(10)).stream().flatMap(page -> page.accounts().stream()).toList();
      assertThat(accounts).extracting(Account::id)
          .containsExactlyElementsOf(cloud.simulation().accounts().stream().map(SimulatedAccount::id).toList());
      assertThat(accounts).extracting(a -> a.statusAsString()).contains("ACTIVE", "SUSPENDED");
      assertThat(cloud.simulation().callCounts())
          .containsEntry("Organizations.ListAccounts:" + cloud.managementAccountId(), 3L);
      assertError(() -> organizations.listAccounts(r -> r.maxResults(21)), 400, "InvalidInputException");
    }
    SimulatedAccount member = cloud.simulation().accounts().get(5);
    try (OrganizationsClient asMember = AwsClients.organizations(cloud, AwsClients.assumeRole(cloud, member.id()))) {
      assertError(asMember::listAccounts, 400, "AccessDeniedException");
    }
  }

  @Test
  void aScenarioExternalIdMustBePresentedExactly(@TempDir Path otherDir) {
    Scenario withExternalId = new Scenario(3L, 4, null, null, null, null, "casefeed-2026", null, null, null, null, 0.0,
        null, null, null, null);
    try (LocalCloud guarded = LocalCloud.start(LocalCloudOptions.builder().dataDir(otherDir).scenario(withExternalId).build());
         StsClient management = AwsClients.sts(guarded, AwsClients.management(guarded))) {
      String roleArn = "arn:aws:iam::" + guarded.simulation().accounts().get(3).id() + ":role/GetSupportInfoRole";
      assertError(() -> management.assumeRole(r -> r.roleArn(roleArn).roleSessionName("casefeed")), 403, "AccessDenied");
      assertError(() -> management.assumeRole(r -> r.roleArn(roleArn).roleSessionName("casefeed").externalId("wrong")),
          403, "AccessDenied");
      assertThat(management.assumeRole(r -> r.roleArn(roleArn).roleSessionName("casefeed").externalId("casefeed-2026"))
          .credentials().accessKeyId()).startsWith("ASIA");
    }
  }

  @Test
  void issuedCredentialsSurviveARestartOnTheSameDataDir(@TempDir Path otherDir) {
    AwsCredentials issued;
    String memberId;
    try (LocalCloud first = LocalCloud.start(LocalCloudOptions.builder().dataDir(otherDir).accounts(6).build())) {
      memberId = first.simulation().accounts().get(5).id();
      issued = AwsClients.assumeRole(first, memberId);
    }
    try (LocalCloud second = LocalCloud.start(LocalCloudOptions.builder().dataDir(otherDir).accounts(6).build());
         StsClient asMember = AwsClients.sts(second, issued)) {
      assertThat(asMember.getCallerIdentity().account()).isEqualTo(memberId);
    }
  }

}
