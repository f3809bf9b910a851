package io.casefeed.notifier.view;

import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseState;
import io.casefeed.schemas.CaseKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the notifier knows, built from the topics alone: the latest state of every case, account
 * names, account readability, and the changes since the oldest period it still has to report.
 */
public final class CaseBook {

  private final Map<String, CaseState> cases = new HashMap<>();
  private final Map<String, String> accountNames = new HashMap<>();
  private final Set<String> knownAccounts = new HashSet<>();
  private final AccountCoverage coverage;
  private final List<CaseChange> changes = new ArrayList<>();
  private final Set<String> changeIds = new HashSet<>();

  public CaseBook(int failingPolls) {
    this.coverage = new AccountCoverage(failingPolls);
  }

  public void onCase(String key, CaseState state) {
    if (state == null) {
      // A tombstone: the case was erased (casefeed erase) or its account left. Its changes go too,
      // so no later digest shows its subject; their ids stay so that a replay is still ignored.
      cases.remove(key);
      changes.removeIf(change -> key.equals(CaseKeys.of(change.getAccountId(), change.getCaseId())));
    } else {
      cases.put(key, state);
      knownAccounts.add(state.getAccountId());
    }
  }

  public void onAccount(String accountId, AccountRecord account) {
    if (account == null) {
      knownAccounts.remove(accountId);
      accountNames.remove(accountId);
      return;
    }
    knownAccounts.add(accountId);
    if (account.getName() != null) {
      accountNames.put(accountId, account.getName());
    }
  }

  /** Keeps a change for the digests; a replayed change (same event id) is kept once. */
  public void onChange(CaseChange change) {
    if (changeIds.add(change.getEventId())) {
      changes.add(change);
      knownAccounts.add(change.getAccountId());
    }
  }

  /** Forgets changes observed before {@code cutoff}: no digest still to send needs them. */
  public void forgetChangesBefore(Instant cutoff) {
    changes.removeIf(change -> {
      boolean old = change.getObservedAt().isBefore(cutoff);
      if (old) {
        changeIds.remove(change.getEventId());
      }
      return old;
    });
  }

  public AccountCoverage coverage() {
    return coverage;
  }

  public String accountName(String accountId) {
    return accountNames.get(accountId);
  }

  public Collection<CaseState> cases() {
    return cases.values();
  }

  public CaseState caseState(String key) {
    return cases.get(key);
  }

  /** Every account seen in any topic, sorted. */
  public Set<String> accounts() {
    Set<String> all = new TreeSet<>(knownAccounts);
    all.addAll(coverage.accounts());
    return all;
  }

  /** Changes observed in (from, to], in observation order. */
  public List<CaseChange> changesBetween(Instant fromExclusive, Instant toInclusive) {
    return changes.stream()
        .filter(c -> c.getObservedAt().isAfter(fromExclusive) && !c.getObservedAt().isAfter(toInclusive))
        .sorted(Comparator.comparing(CaseChange::getObservedAt).thenComparing(CaseChange::getEventId))
        .toList();
  }
}
