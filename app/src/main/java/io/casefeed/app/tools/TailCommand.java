package io.casefeed.app.tools;

import io.casefeed.common.config.CommonConfig;
import io.casefeed.schema.CaseChange;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.SchemaRegistries;
import io.casefeed.schemas.serde.AvroSerde;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code casefeed tail}: the change feed, one readable line (or JSON) per event. */
@Command(name = "tail", mixinStandardHelpOptions = true,
    description = "Prints the change feed (casefeed.case-changes), read_committed, one line per event or JSON with --json.")
public final class TailCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Option(names = "--from-beginning", description = "Start at the oldest event instead of the newest.")
  boolean fromBeginning;

  @Option(names = "--json", description = "One JSON object per event.")
  boolean json;

  @Option(names = "--max", defaultValue = "0", description = "Stop after this many events (0 = follow until Ctrl-C).")
  long max;

  @Override
  public Integer call() {
    CommonConfig config = cluster.toConfig();
    AtomicBoolean running = new AtomicBoolean(true);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> running.set(false), "tail-stop"));
    var serde = new AvroSerde<>(CaseChange.class, SchemaRegistries.fromConfig(config));
    new ChangeFeedTail(config.kafkaClientSettings(), config.topicName(Topics.CASE_CHANGES.name()), serde, System.out, json)
        .run(fromBeginning ? ChangeFeedTail.Start.BEGINNING : ChangeFeedTail.Start.END, max, running::get);
    return 0;
  }
}
