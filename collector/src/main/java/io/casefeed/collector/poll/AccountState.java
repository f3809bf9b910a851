package io.casefeed.collector.poll;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the reads of one account remember between runs: the open cases (with their language, needed
 * to re-read them), the language and the resolved flag of every case seen (to re-read a case an event
 * names, and to tell what a poll found changed), and the newest communication seen per case. Only one
 * read of an account runs at a time, so these are never touched concurrently; the announcements,
 * filled by the event consumer while a read may run, are the exception and are guarded.
 */
public final class AccountState {

  private final String accountId;
  final Map<String, String> openCaseLanguages = new HashMap<>();
  final Map<String, Instant> newestCommunication = new HashMap<>();
  final Map<String, String> caseLanguages = new HashMap<>();
  final Map<String, Boolean> resolved = new HashMap<>();
  /** Set once a poll of this account completed in this process: from then on, a case not known is news. */
  boolean baselined;

  /** Cases that events announced and no read has taken yet: caseId to the latest event id. */
  final Map<String, String> announced = new ConcurrentHashMap<>();
  /** Event ids seen lately, with when, so a repeated event makes no second read. Guarded by itself. */
  final LinkedHashMap<String, Instant> recentEventIds = new LinkedHashMap<>();
  /** When the oldest announcement not yet taken came; null when none waits. Guarded by recentEventIds. */
  Instant announcedSince;
  /**
   * The unreadable items of this account this process dead-lettered or found in the dead-letter log, so
   * an unchanged one is not sent again; those of earlier processes are in the log until first seen here.
   */
  final DeadLetteredItems deadLettered = new DeadLetteredItems(DeadLetteredItems.DEFAULT_CAPACITY);

  public AccountState(String accountId) {
    this.accountId = accountId;
  }

  public String accountId() {
    return accountId;
  }

  public Map<String, String> openCases() {
    return Map.copyOf(openCaseLanguages);
  }

  /** The cases announced by events and not read yet, caseId to event id. */
  public Map<String, String> announcedCases() {
    return Map.copyOf(announced);
  }
}
