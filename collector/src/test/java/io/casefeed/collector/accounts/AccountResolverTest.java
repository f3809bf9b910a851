package io.casefeed.collector.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccountResolverTest {

  private static AccountSource source(String name, List<ResolvedAccount> accounts) {
    return new AccountSource() {
      @Override public String name() { return name; }
      @Override public List<ResolvedAccount> accounts() { return accounts; }
    };
  }

  private static AccountSource failing(String name) {
    return new AccountSource() {
      @Override public String name() { return name; }
      @Override public List<ResolvedAccount> accounts() { throw new IllegalStateException("bucket gone"); }
    };
  }

  @Test
  void mergesSourcesAndAppliesIncludeAndExclude() {
    var org = source("organizations:999999999999", List.of(
        new ResolvedAccount("111111111111", "prod", "ACTIVE", List.of("organizations:999999999999")),
        new ResolvedAccount("222222222222", "dev", "ACTIVE", List.of("organizations:999999999999")),
        new ResolvedAccount("333333333333", "sandbox", "ACTIVE", List.of("organizations:999999999999"))));
    var resolver = new AccountResolver(
        List.of(new StaticAccountSource(List.of("111111111111", "444444444444")), org),
        Set.of(), Set.of("333333333333"));

    AccountResolver.Resolution resolution = resolver.resolve();

    assertThat(resolution.complete()).isTrue();
    assertThat(resolution.accounts()).extracting(ResolvedAccount::accountId)
        .containsExactlyInAnyOrder("111111111111", "222222222222", "444444444444");
    ResolvedAccount prod = resolution.accounts().stream().filter(a -> a.accountId().equals("111111111111")).findFirst().orElseThrow();
    assertThat(prod.sources()).containsExactly("static", "organizations:999999999999");
    assertThat(prod.name()).isEqualTo("prod");

    var onlyIncluded = new AccountResolver(List.of(org), Set.of("222222222222"), Set.of()).resolve();
    assertThat(onlyIncluded.accounts()).extracting(ResolvedAccount::accountId).containsExactly("222222222222");
  }

  @Test
  void aFailingSourceNeverStopsTheOthersAndMarksTheResolutionIncomplete() {
    var resolver = new AccountResolver(List.of(failing("s3-file"), new StaticAccountSource(List.of("111111111111"))),
        Set.of(), Set.of());
    AccountResolver.Resolution resolution = resolver.resolve();
    assertThat(resolution.accounts()).extracting(ResolvedAccount::accountId).containsExactly("111111111111");
    assertThat(resolution.complete()).isFalse();
    assertThat(resolution.failedSources()).containsExactly("s3-file");
  }
}
