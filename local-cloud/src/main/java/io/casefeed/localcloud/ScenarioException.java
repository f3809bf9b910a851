package io.casefeed.localcloud;

import java.nio.file.Path;

/** A scenario file that cannot be used; the message names the file, the line and the reason. */
public final class ScenarioException extends RuntimeException {

  private final int line;

  public ScenarioException(Path file, int line, String reason) {
    super(file + (line > 0 ? ":" + line : "") + ": " + reason);
    this.line = line;
  }

  /** 1-based line of the problem, 0 when unknown. */
  public int line() {
    return line;
  }
}
