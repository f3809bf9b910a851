package io.casefeed.app.tools;

import io.casefeed.common.config.CommonConfig;
import io.casefeed.schemas.Topics;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code casefeed dlq list|replay}: what is in casefeed.dead-letter and why; send records back once fixed. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
    description = "Shows the dead-letter topic with the reasons, and replays chosen records to their source topics.",
    subcommands = {DlqCommand.ListDeadLetters.class, DlqCommand.Replay.class})
public final class DlqCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists every dead letter: partition@offset, time, source, who failed, why.")
  static final class ListDeadLetters implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Override
    public Integer call() {
      CommonConfig config = cluster.toConfig();
      List<DeadLetterBrowser.DeadLetter> letters =
          new DeadLetterBrowser(config.kafkaClientSettings(), config.topicName(Topics.DEAD_LETTER.name())).list();
      letters.forEach(l -> System.out.println(l.describe()));
      System.out.println(letters.size() + " dead letter(s)");
      return 0;
    }
  }

  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = "Sends the chosen dead letters back to their source topics (original key, value and headers).")
  static final class Replay implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Option(names = "--record", required = true, split = ",", paramLabel = "PARTITION@OFFSET",
        description = "Dead letters to replay, as listed by 'casefeed dlq list' (e.g. 0@12,2@40).")
    List<String> records;

    @Override
    public Integer call() {
      Map<Integer, Set<Long>> chosen = new HashMap<>();
      for (String record : records) {
        String[] parts = record.split("@");
        try {
          chosen.computeIfAbsent(Integer.parseInt(parts[0].trim()), p -> new HashSet<>()).add(Long.parseLong(parts[1].trim()));
        } catch (RuntimeException e) {
          System.err.println("casefeed dlq replay: --record must be PARTITION@OFFSET, got '" + record + "'");
          return 2;
        }
      }
      CommonConfig config = cluster.toConfig();
      var replayed = new DeadLetterBrowser(config.kafkaClientSettings(), config.topicName(Topics.DEAD_LETTER.name())).replay(chosen);
      replayed.forEach(l -> System.out.println("replayed " + l.partition() + "@" + l.offset() + " to " + l.sourceTopic()));
      int missing = chosen.values().stream().mapToInt(Set::size).sum() - replayed.size();
      if (missing > 0) {
        System.err.println(missing + " requested record(s) are not in the dead-letter topic");
        return 1;
      }
      return 0;
    }
  }
}
