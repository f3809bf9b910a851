package io.casefeed.collector.accounts;

import java.util.List;

/** The account ids written in the configuration. */
public final class StaticAccountSource implements AccountSource {

  private final List<String> accountIds;

  public StaticAccountSource(List<String> accountIds) {
    this.accountIds = List.copyOf(accountIds);
  }

  @Override
  public String name() {
    return "static";
  }

  @Override
  public List<ResolvedAccount> accounts() {
    return accountIds.stream().distinct().map(id -> new ResolvedAccount(id, null, null, List.of(name()))).toList();
  }
}
