package io.casefeed.collector.poll;

/** The three ways an account is read. */
public enum PollKind {
  /** Open cases only, every few minutes. */
  FAST("fast"),
  /** Cases that left the open set, by id, so their resolution is seen at once. */
  REREAD("reread"),
  /** Every case of the lookback window, resolved ones included: reconciles what the fast poll missed. */
  SWEEP("sweep");

  private final String wireName;

  PollKind(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
