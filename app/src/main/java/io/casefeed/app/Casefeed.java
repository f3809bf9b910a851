package io.casefeed.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code casefeed <subcommand>}: the one executable of every casefeed component. */
@Command(
    name = "casefeed",
    mixinStandardHelpOptions = true,
    versionProvider = CasefeedVersion.class,
    description = "Every AWS Support case of every account, as a Kafka change feed.",
    subcommands = {
        io.casefeed.app.demo.DemoCommand.class,
        io.casefeed.collector.cli.CollectorCommand.class,
        io.casefeed.streams.cli.StreamsCommand.class,
        io.casefeed.sink.cli.SinkCommand.class,
        io.casefeed.notifier.cli.NotifierCommand.class,
        io.casefeed.localcloud.LocalCloudCommand.class,
        KafkaCommand.class,
        io.casefeed.sink.cli.AthenaDdlCommand.class,
        io.casefeed.sink.cli.QueryCommand.class,
        io.casefeed.app.tools.TailCommand.class,
        io.casefeed.app.tools.DlqCommand.class,
        io.casefeed.app.tools.NotificationsCommand.class,
        io.casefeed.app.tools.CheckCommand.class,
        io.casefeed.app.erase.EraseCommand.class,
        BenchCommand.class,
        CommandLine.HelpCommand.class
    })
public final class Casefeed implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with casefeed's error handling: usage errors name the offending option, exit 2. */
  public static CommandLine commandLine() {
    return CommandLines.withCasefeedErrors(new Casefeed());
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
