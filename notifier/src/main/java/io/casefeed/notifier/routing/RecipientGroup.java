package io.casefeed.notifier.routing;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who hears about which accounts. A group follows the accounts in {@code accountIds} and those whose
 * name matches {@code accountNamePattern}; with neither set it follows every account.
 */
public record RecipientGroup(String name, List<String> recipients, Set<String> accountIds, Pattern accountNamePattern) {

  public RecipientGroup {
    recipients = List.copyOf(recipients);
    accountIds = Set.copyOf(accountIds);
  }

  public boolean followsEveryAccount() {
    return accountIds.isEmpty() && accountNamePattern == null;
  }

  public boolean follows(String accountId, String accountName) {
    if (followsEveryAccount() || accountIds.contains(accountId)) {
      return true;
    }
    return accountNamePattern != null && accountName != null && accountNamePattern.matcher(accountName).matches();
  }
}
