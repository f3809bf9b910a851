package io.casefeed.collector.poll;

/** The ways an account is read. */
public enum PollKind {
  /** Open cases only, every few minutes. */
  FAST("fast"),
  /** Cases that left the open set, by id, so their resolution is seen at once. */
  REREAD("reread"),
  /** Every case of the lookback window, resolved ones included: reconciles what the fast poll missed. */
  SWEEP("sweep"),
  /** Only the cases AWS Support events named, at once (events on): the news that polls would find late. */
  EVENT("event");

  private final String wireName;

  PollKind(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
