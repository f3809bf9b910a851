package io.casefeed.common.component;

/** Where a {@link ComponentRunner} is in its one pass from start to close. */
public enum ComponentState {
  /** Built, nothing started yet. */
  CREATED,
  /** Components are being started, in order. */
  STARTING,
  /** Every component started; the runner waits for a stop or a failure. */
  RUNNING,
  /** Components are being closed, in reverse order. */
  STOPPING,
  /** Every started component was closed. */
  STOPPED
}
