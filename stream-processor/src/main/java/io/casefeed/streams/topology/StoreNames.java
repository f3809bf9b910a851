package io.casefeed.streams.topology;

/**
 * The names of the state stores, and so of their changelog topics ({@code <application.id>-<store>-changelog}).
 * Renaming one loses its state on upgrade: never rename.
 */
public final class StoreNames {

  /** Latest state of each case as change detection sees it (every case ever seen). */
  public static final String CASE_TRACKER = "case-tracker";
  /** The recent change events of each case, key {@code <caseKey>|<version, 19 digits>}. */
  public static final String CASE_HISTORY = "case-history";
  /** The tracker's states as a table: the left side of the join with the member accounts. */
  public static final String TRACKED_CASES = "tracked-cases";
  /** The member accounts (casefeed.accounts as a table). */
  public static final String ACCOUNTS = "accounts";
  /** Cases of current member accounts: what casefeed.cases holds and the query API serves. */
  public static final String CASES = "cases";
  /** Number of cases per fine-grained pivot cell. */
  public static final String PIVOT_COUNTS = "pivot-counts";
  /**
   * Cases whose personal data was erased (a tombstone on casefeed.case-observations), key the case
   * key, value the erase time in epoch milliseconds: later observations are scrubbed against it.
   * Holds ids and times only.
   */
  public static final String ERASED_CASES = "erased-cases";
  /** Latest poll outcome of each account. */
  public static final String COVERAGE = "coverage";

  private StoreNames() {}
}
