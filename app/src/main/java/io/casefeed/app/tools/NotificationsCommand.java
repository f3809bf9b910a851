package io.casefeed.app.tools;

import io.casefeed.common.config.CommonConfig;
import io.casefeed.notifier.Notifier;
import io.casefeed.notifier.resend.FailedMail;
import io.casefeed.schemas.TopicNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code casefeed notifications list|give-up}: the mails SES failed after every retry, and giving up on them. */
@Command(name = "notifications", mixinStandardHelpOptions = true,
    description = "Shows the mails the notifier keeps to send again (SES failed them after every retry) and gives up on chosen ones.",
    subcommands = {NotificationsCommand.ListFailed.class, NotificationsCommand.GiveUp.class})
public final class NotificationsCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static FailedMailsBrowser browser(ClusterOptions cluster) {
    CommonConfig config = cluster.toConfig();
    return new FailedMailsBrowser(config.kafkaClientSettings(), TopicNames.of(config, Notifier.RESENDS));
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists every kept failed mail: its id, kind, recipient, failures, next resend or that it waits for an operator, last error.")
  static final class ListFailed implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Override
    public Integer call() {
      List<FailedMail> kept = browser(cluster).list();
      kept.forEach(m -> System.out.println(FailedMailsBrowser.describe(m)));
      long waiting = kept.stream().filter(FailedMail::exhausted).count();
      System.out.println(kept.size() + " failed mail(s) kept, " + waiting + " waiting for an operator");
      return 0;
    }
  }

  @Command(name = "give-up", mixinStandardHelpOptions = true,
      description = "Gives up on kept failed mails: nothing sends them again, and the notifier's ledger records them as given-up.")
  static final class GiveUp implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Option(names = "--mail-id", paramLabel = "ID",
        description = "A mail id as 'casefeed notifications list' shows it; repeat the option for several.")
    List<String> mailIds = new ArrayList<>();

    @Option(names = "--all-waiting", description = "Every kept mail whose resends are used up.")
    boolean allWaiting;

    @Override
    public Integer call() {
      if (mailIds.isEmpty() == !allWaiting) {
        System.err.println("casefeed notifications give-up: give --mail-id ID (one or more) or --all-waiting");
        return 2;
      }
      FailedMailsBrowser browser = browser(cluster);
      List<FailedMail> kept = browser.list();
      Set<String> keptIds = kept.stream().map(FailedMail::mailId).collect(Collectors.toSet());
      List<String> chosen = allWaiting ? kept.stream().filter(FailedMail::exhausted).map(FailedMail::mailId).toList() : mailIds;
      List<String> unknown = chosen.stream().filter(id -> !keptIds.contains(id)).toList();
      if (!unknown.isEmpty()) {
        // Checked before anything is written: a mistyped id gives up on nothing rather than on part of the list.
        System.err.println("not kept (already sent, given up, or never failed): " + String.join(", ", unknown));
        return 1;
      }
      browser.giveUp(chosen);
      chosen.forEach(id -> System.out.println("gave up on " + id));
      System.out.println(chosen.size() + " failed mail(s) given up");
      return 0;
    }
  }
}
