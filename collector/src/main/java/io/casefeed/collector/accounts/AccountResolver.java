package io.casefeed.collector.accounts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Merges the configured sources into one account set, then applies include and exclude. */
public final class AccountResolver {

  private static final Logger LOG = LoggerFactory.getLogger(AccountResolver.class);

  /**
   * @param complete false when a source could not be read: accounts missing from such a
   *     resolution must not be removed, only new ones added
   */
  public record Resolution(List<ResolvedAccount> accounts, boolean complete, List<String> failedSources) {}

  private final List<AccountSource> sources;
  private final Set<String> include;
  private final Set<String> exclude;

  public AccountResolver(List<AccountSource> sources, Set<String> include, Set<String> exclude) {
    this.sources = List.copyOf(sources);
    this.include = Set.copyOf(include);
    this.exclude = Set.copyOf(exclude);
  }

  public Resolution resolve() {
    Map<String, ResolvedAccount> merged = new LinkedHashMap<>();
    List<String> failed = new ArrayList<>();
    for (AccountSource source : sources) {
      List<ResolvedAccount> found;
      try {
        found = source.accounts();
      } catch (RuntimeException e) {
        LOG.warn("account source {} could not be read; its accounts are kept as they were: {}", source.name(), e.toString());
        failed.add(source.name());
        continue;
      }
      for (ResolvedAccount account : found) {
        if (!include.isEmpty() && !include.contains(account.accountId()) || exclude.contains(account.accountId())) {
          continue;
        }
        merged.merge(account.accountId(), account, AccountResolver::combine);
      }
    }
    return new Resolution(List.copyOf(merged.values()), failed.isEmpty(), List.copyOf(failed));
  }

  private static ResolvedAccount combine(ResolvedAccount a, ResolvedAccount b) {
    List<String> sources = new ArrayList<>(a.sources());
    b.sources().stream().filter(s -> !sources.contains(s)).forEach(sources::add);
    return new ResolvedAccount(a.accountId(), a.name() != null ? a.name() : b.name(),
        a.status() != null ? a.status() : b.status(), sources);
  }
}
