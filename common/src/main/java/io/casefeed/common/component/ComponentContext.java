package io.casefeed.common.component;

import java.time.Clock;
import java.util.function.BooleanSupplier;

/** What a {@link ComponentRunner} gives each component it starts. */
public interface ComponentContext {

  /** The one clock of the process (the time seam): tests pass a {@code MutableClock}. */
  Clock clock();

  /**
   * Reports a fatal error, from any thread: the runner closes every component in reverse order and
   * exits with {@link ExitCodes#FAILURE}. Only the first failure counts; later ones are logged.
   */
  void fail(Throwable cause);

  /** Adds a part to the process's readiness ({@code /health/ready} is up only when every part is). */
  void readiness(String part, BooleanSupplier ready);
}
