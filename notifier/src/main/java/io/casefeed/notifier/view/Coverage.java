package io.casefeed.notifier.view;

/** Whether casefeed can read an account's cases, from its latest polls. */
public enum Coverage {
  OK("read ok", true),
  RETRYING("retrying", true),
  NOT_READ_YET("not read yet", true),
  NO_SUPPORT_PLAN("no support plan", false),
  ACCESS_DENIED("access denied", false),
  FAILING("failing", false);

  private final String label;
  private final boolean readable;

  Coverage(String label, boolean readable) {
    this.label = label;
    this.readable = readable;
  }

  public String label() {
    return label;
  }

  /** False when the account's cases cannot be seen: these are alerted and listed first. */
  public boolean readable() {
    return readable;
  }
}
