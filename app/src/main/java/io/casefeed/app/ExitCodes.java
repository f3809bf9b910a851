package io.casefeed.app;

/** Exit codes every casefeed subcommand uses. */
public final class ExitCodes {
  public static final int OK = 0;
  /** Something failed while running. */
  public static final int FAILURE = 1;
  /** Bad usage or bad configuration: nothing was started. */
  public static final int USAGE = 2;

  private ExitCodes() {}
}
