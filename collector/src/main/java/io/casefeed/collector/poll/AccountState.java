package io.casefeed.collector.poll;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What the polls of one account remember between runs: the open cases (with their language, needed
 * to re-read them) and the newest communication seen per case. Only one poll of an account runs at
 * a time, so it is never touched concurrently.
 */
public final class AccountState {

  private final String accountId;
  final Map<String, String> openCaseLanguages = new HashMap<>();
  final Map<String, Instant> newestCommunication = new HashMap<>();

  public AccountState(String accountId) {
    this.accountId = accountId;
  }

  public String accountId() {
    return accountId;
  }

  public Map<String, String> openCases() {
    return Map.copyOf(openCaseLanguages);
  }
}
