package io.casefeed.notifier.view;

import io.casefeed.schema.AccountRecord;
import io.casefeed.schemas.CaseKeys;
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
 * Cases and changes are kept as {@link CaseSummary} and {@link DigestChange}, not as the records
 * read: those carry communications no mail shows (#19).
 */
public final class CaseBook {

  private final Map<String, CaseSummary> cases = new HashMap<>();
  private final Map<String, String> accountNames = new HashMap<>();
  private final Set<String> knownAccounts = new HashSet<>();
  private final AccountCoverage coverage;
  private final List<DigestChange> changes = new ArrayList<>();
  private final Set<String> changeIds = new HashSet<>();

  public CaseBook(int failingPolls) {
    this.coverage = new AccountCoverage(failingPolls);
  }

  public void onCase(String key, CaseState state) {
    if (state == null) {
      // A tombstone: the case was erased (casefeed erase) or its account left. Its changes go too,
      // so no later digest shows its subject; their ids stay so that a replay is still ignored.
      cases.remove(key);
      changes.removeIf(change -> key.equals(CaseKeys.of(change.accountId(), change.current().caseId())));
    } else {
      cases.put(key, CaseSummary.of(state));
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
      changes.add(DigestChange.of(change, cases.get(CaseKeys.of(change.getAccountId(), change.getCaseId()))));
      knownAccounts.add(change.getAccountId());
    }
  }

  /** Forgets changes observed before {@code cutoff}: no digest still to send needs them. */
  public void forgetChangesBefore(Instant cutoff) {
    changes.removeIf(change -> {
      boolean old = change.observedAtMillis() < cutoff.toEpochMilli();
      if (old) {
        changeIds.remove(change.eventId());
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

  public Collection<CaseSummary> cases() {
    return cases.values();
  }

  public CaseSummary caseSummary(String key) {
    return cases.get(key);
  }

  /** Every account seen in any topic, sorted. */
  public Set<String> accounts() {
    Set<String> all = new TreeSet<>(knownAccounts);
    all.addAll(coverage.accounts());
    return all;
  }

  /** Changes observed in (from, to], in observation order. */
  public List<DigestChange> changesBetween(Instant fromExclusive, Instant toInclusive) {
    long from = fromExclusive.toEpochMilli();
    long to = toInclusive.toEpochMilli();
    return changes.stream()
        .filter(c -> c.observedAtMillis() > from && c.observedAtMillis() <= to)
        .sorted(Comparator.comparingLong(DigestChange::observedAtMillis).thenComparing(DigestChange::eventId))
        .toList();
  }
}
