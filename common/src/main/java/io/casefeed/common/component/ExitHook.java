package io.casefeed.common.component;

/**
 * How the runner ends the process when an orderly stop does not finish in time: the seam that keeps
 * tests from ending their own JVM. {@link #HALT} does not run shutdown hooks, so it cannot deadlock
 * behind the hook that is waiting for the stop.
 */
@FunctionalInterface
public interface ExitHook {

  ExitHook HALT = code -> Runtime.getRuntime().halt(code);

  void exit(int code);
}
