package io.casefeed.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code casefeed <subcommand>}: the one executable of every casefeed component. */
@Command(
    name = "casefeed",
    mixinStandardHelpOptions = true,
    versionProvider = Casefeed.Version.class,
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
    CommandLine commandLine = new CommandLine(new Casefeed());
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
      cmd.getErr().println("casefeed " + cmd.getCommandName() + ": " + rootMessage(e));
      return ExitCodes.FAILURE;
    });
    return commandLine;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + cause.getMessage() + ")";
  }

  /** The version Maven stamped into the jar's build-info resource. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties info = new Properties();
      try (InputStream in = Casefeed.class.getResourceAsStream("/casefeed-build.properties")) {
        if (in != null) {
          info.load(in);
        }
      }
      Properties kafka = new Properties();
      try (InputStream in = Casefeed.class.getResourceAsStream("/kafka/kafka-version.properties")) {
        if (in != null) {
          kafka.load(in);
        }
      }
      return new String[] {
        "casefeed " + info.getProperty("version", "unknown"),
        "Kafka clients " + kafka.getProperty("version", "unknown") + ", Java " + System.getProperty("java.version")
      };
    }
  }
}
