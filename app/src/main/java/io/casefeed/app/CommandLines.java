package io.casefeed.app;

import io.casefeed.common.component.ExitCodes;
import picocli.CommandLine;

/**
 * casefeed's error handling for a root command, shared by the full CLI ({@link Casefeed}) and the runtime
 * jar's: a failure prints the root cause and exits 1; usage errors name the offending option and exit 2.
 */
public final class CommandLines {

  private CommandLines() {}

  public static CommandLine withCasefeedErrors(Object root) {
    CommandLine commandLine = new CommandLine(root);
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
      cmd.getErr().println("casefeed " + cmd.getCommandName() + ": " + rootMessage(e));
      return ExitCodes.FAILURE;
    });
    return commandLine;
  }

  static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + cause.getMessage() + ")";
  }
}
