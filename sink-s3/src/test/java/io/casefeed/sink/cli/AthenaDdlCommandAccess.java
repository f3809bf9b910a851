package io.casefeed.sink.cli;

/** Runs {@code athena-ddl} as the CLI does, for tests outside this package. */
public final class AthenaDdlCommandAccess {

  public record Output(int exitCode, String out, String err) {}

  private AthenaDdlCommandAccess() {}

  public static Output run(String... args) throws Exception {
    CommandsTest.Output output = CommandsTest.run(new AthenaDdlCommand(), args);
    return new Output(output.exitCode(), output.out(), output.err());
  }
}
