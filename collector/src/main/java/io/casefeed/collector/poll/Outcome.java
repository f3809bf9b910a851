package io.casefeed.collector.poll;

/** How an account poll ended, as written in casefeed.sweeps. */
public enum Outcome {
  OK("ok"),
  NO_SUPPORT_PLAN("no-support-plan"),
  ACCESS_DENIED("access-denied"),
  THROTTLED("throttled"),
  ERROR("error");

  private final String wireName;

  Outcome(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
