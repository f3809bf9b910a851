package io.casefeed.runtime;

import io.casefeed.app.CasefeedVersion;
import io.casefeed.app.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code casefeed <subcommand>} as a deployment runs it: the four components and the operator tools.
 * The demo, the embedded broker, local-cloud and the benchmarks are app's ({@code casefeed.jar}); they
 * are not listed here so that the runtime jar can leave them, and what they pull in, out.
 */
@Command(
    name = "casefeed",
    mixinStandardHelpOptions = true,
    versionProvider = CasefeedVersion.class,
    description = {"Every AWS Support case of every account, as a Kafka change feed.",
        "This is the runtime build: the components and operator tools. The demo and local tools are in casefeed.jar."},
    subcommands = {
        io.casefeed.collector.cli.CollectorCommand.class,
        io.casefeed.streams.cli.StreamsCommand.class,
        io.casefeed.sink.cli.SinkCommand.class,
        io.casefeed.notifier.cli.NotifierCommand.class,
        io.casefeed.sink.cli.AthenaDdlCommand.class,
        io.casefeed.sink.cli.QueryCommand.class,
        io.casefeed.app.tools.TailCommand.class,
        io.casefeed.app.tools.DlqCommand.class,
        io.casefeed.app.tools.CheckCommand.class,
        io.casefeed.app.erase.EraseCommand.class,
        CommandLine.HelpCommand.class
    })
public final class CasefeedRuntime implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The same error handling as the full CLI. */
  public static CommandLine commandLine() {
    return CommandLines.withCasefeedErrors(new CasefeedRuntime());
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
