package io.casefeed.common.component;

/**
 * The exit codes of every casefeed command, one table for the components and the tools, so a
 * supervisor (systemd, ECS, Kubernetes) can tell a bad configuration from a broker that was not there.
 */
public final class ExitCodes {
  public static final int OK = 0;
  /** Something failed while running. */
  public static final int FAILURE = 1;
  /** Bad usage or bad configuration: nothing was started. */
  public static final int USAGE = 2;
  /** A dependency (broker, registry, S3, AWS) did not answer while starting: a restart may succeed. */
  public static final int UNAVAILABLE = 3;
  /** Stopped by SIGINT (Ctrl-C): 128 + 2, what the JVM itself exits with. */
  public static final int SIGINT = 130;
  /** Stopped by SIGTERM: 128 + 15, what the JVM itself exits with. */
  public static final int SIGTERM = 143;

  private ExitCodes() {}
}
