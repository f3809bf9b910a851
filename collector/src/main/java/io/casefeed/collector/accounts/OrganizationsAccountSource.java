package io.casefeed.collector.accounts;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.Account;
import software.amazon.awssdk.services.organizations.model.AccountStatus;
import software.amazon.awssdk.services.organizations.model.ListAccountsResponse;

/** The ACTIVE accounts of one organisation, every page of ListAccounts. */
public final class OrganizationsAccountSource implements AccountSource {

  private final String label;
  private final OrganizationsClient organizations;

  /**
   * @param label identifies the management account in {@link ResolvedAccount#sources()}
   * @param organizations a client signed as the management account (or a delegated administrator)
   */
  public OrganizationsAccountSource(String label, OrganizationsClient organizations) {
    this.label = label;
    this.organizations = organizations;
  }

  @Override
  public String name() {
    return "organizations:" + label;
  }

  @Override
  public List<ResolvedAccount> accounts() {
    List<ResolvedAccount> accounts = new ArrayList<>();
    String nextToken = null;
    do {
      String token = nextToken;
      ListAccountsResponse page = organizations.listAccounts(b -> b.nextToken(token));
      for (Account account : page.accounts()) {
        if (account.status() == AccountStatus.ACTIVE) {
          accounts.add(new ResolvedAccount(account.id(), account.name(), account.statusAsString(), List.of(name())));
        }
      }
      nextToken = page.nextToken();
    } while (nextToken != null && !nextToken.isEmpty());
    return accounts;
  }
}
