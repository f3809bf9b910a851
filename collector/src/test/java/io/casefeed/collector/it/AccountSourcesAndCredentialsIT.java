package io.casefeed.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.collector.accounts.OrganizationsAccountSource;
import io.casefeed.collector.accounts.ResolvedAccount;
import io.casefeed.collector.accounts.S3AccountFileSource;
import io.casefeed.collector.aws.AwsClients;
import io.casefeed.collector.aws.AwsSupportGateway;
import io.casefeed.collector.aws.RoleCredentials;
import io.casefeed.collector.aws.RoleCredentialsCache;
import io.casefeed.collector.aws.StsRoleAssumer;
import io.casefeed.collector.config.CollectorConfig;
import io.casefeed.localcloud.LocalCloud;
import io.casefeed.localcloud.SimulatedAccount;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.support.model.DescribeCasesRequest;

/** Account sources and role credentials against local-cloud with the real AWS SDK clients. */
class AccountSourcesAndCredentialsIT {

  static LocalCloud cloud;
  static CollectorConfig config;
  static AwsClients aws;

  @BeforeAll
  static void start() {
    cloud = CollectorFixture.start(CollectorFixture.frozen(50, 1, 3, 0));
    Map<String, String> settings = CollectorFixture.settings(cloud, "sources.");
    settings.put("accounts.static", cloud.managementAccountId());
    config = CollectorConfig.load(null, Map.of(), settings);
    aws = new AwsClients(config);
  }

  @AfterAll
  static void stop() {
    aws.close();
    cloud.close();
  }

  @Test
  void theSeedsAccountFileInS3IsReadAndBadLinesAreSkipped() {
    String file = String.join("\n",
        "# accounts read by the seed's Lambda",
        "111111111111",
        "",
        "  222222222222  ",
        "12345",
        "333333333333 # sandbox",
        "arn:aws:iam::444444444444:root",
        "");
    try (S3Client s3 = aws.s3()) {
      s3.createBucket(b -> b.bucket("seed-config"));
      s3.putObject(b -> b.bucket("seed-config").key("accounts/list.txt"), RequestBody.fromString(file));
      List<ResolvedAccount> accounts = S3AccountFileSource.of(URI.create("s3://seed-config/accounts/list.txt"), s3).accounts();
      assertThat(accounts).extracting(ResolvedAccount::accountId).containsExactly("111111111111", "222222222222", "333333333333");
      assertThat(accounts).allSatisfy(a -> assertThat(a.sources()).containsExactly("s3-file"));
    }
  }

  @Test
  void anAccountFileOverTheCapIsRefusedAfterARangedRead() {
    byte[] big = new byte[io.casefeed.collector.accounts.AccountFileParser.MAX_FILE_BYTES + 100];
    java.util.Arrays.fill(big, (byte) '\n');
    try (S3Client s3 = aws.s3()) {
      s3.createBucket(b -> b.bucket("seed-config-big"));
      s3.putObject(b -> b.bucket("seed-config-big").key("accounts/list.txt"), RequestBody.fromBytes(big));
      S3AccountFileSource source = S3AccountFileSource.of(URI.create("s3://seed-config-big/accounts/list.txt"), s3);
      org.assertj.core.api.Assertions.assertThatThrownBy(source::accounts)
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("larger than");
    }
  }

  @Test
  void organizationsListAccountsIsReadPageByPageActiveOnly() {
    cloud.simulation().resetCallCounts();
    try (OrganizationsClient organizations = aws.organizations()) {
      List<ResolvedAccount> accounts = new OrganizationsAccountSource("management", organizations).accounts();
      List<String> active = cloud.simulation().accounts().stream().filter(SimulatedAccount::active).map(SimulatedAccount::id).toList();
      assertThat(accounts).extracting(ResolvedAccount::accountId).containsExactlyInAnyOrderElementsOf(active);
      assertThat(active).hasSizeLessThan(50);
      // 50 accounts at most 20 a page: three pages.
      assertThat(cloud.simulation().callCounts().get("Organizations.ListAccounts:" + cloud.managementAccountId())).isEqualTo(3L);
    }
  }

  @Test
  void roleCredentialsAreRenewedBeforeExpiryAndWorkAfterRenewal() {
    SimulatedAccount member = cloud.simulation().accounts().stream()
        .filter(a -> a.hasRole() && a.supportPlan() && a.active() && !a.id().equals(cloud.managementAccountId()))
        .findFirst().orElseThrow();
    // Fifteen-minute credentials (the shortest STS gives) renewed when less than 14m55s remain, so
    // they are renewed about five seconds after they were issued.
    RoleCredentialsCache cache = new RoleCredentialsCache(
        new StsRoleAssumer(aws.sts(), null, "casefeed-collector", 900), Clock.systemUTC(), Duration.ofSeconds(895));
    AwsSupportGateway gateway = new AwsSupportGateway(aws.support(), cache, config::roleArn);
    String roleArn = config.roleArn(member.id());
    cloud.simulation().resetCallCounts();

    RoleCredentials first = cache.credentials(roleArn);
    assertThat(cache.credentials(roleArn)).isSameAs(first);
    assertThat(first.expiration()).isBetween(java.time.Instant.now().plusSeconds(800), java.time.Instant.now().plusSeconds(901));
    await(Duration.ofMillis(5200));
    assertThat(cache.needsAssume(roleArn)).isTrue();
    var cases = gateway.describeCases(member.id(), DescribeCasesRequest.builder().includeResolvedCases(true).build());
    RoleCredentials renewed = cache.credentials(roleArn);

    assertThat(renewed.accessKeyId()).isNotEqualTo(first.accessKeyId());
    assertThat(cases.cases()).isNotNull();
    assertThat(cloud.simulation().callCounts().get("STS.AssumeRole:" + cloud.managementAccountId())).isEqualTo(2L);
    assertThat(cloud.simulation().callCounts().get("Support.DescribeCases:" + member.id())).isEqualTo(1L);
  }

  private static void await(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
