package io.casefeed.app;

import io.casefeed.app.demo.DemoSoakPipeline;
import io.casefeed.bench.soak.SoakBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code casefeed bench <name>}: the benchmarks, each printing its figures next to a baseline
 * measured in the same run, and a last machine-readable line.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks with same-run baselines; the last line of each is machine-readable.",
    subcommands = {io.casefeed.bench.sweep.SweepBenchmark.class, BenchCommand.Streams.class, BenchCommand.Sink.class,
        BenchCommand.Soak.class, io.casefeed.bench.cost.ComponentCostBenchmark.class})
public final class BenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "streams", mixinStandardHelpOptions = true,
      description = "Observations/s through dedupe + aggregate (exactly_once_v2) vs an exactly_once_v2 pass-through and the raw produce->consume rate.")
  static final class Streams implements Callable<Integer> {
    @Parameters(index = "0", defaultValue = "20000", description = "Observations (default: ${DEFAULT-VALUE}).")
    int observations;

    @Parameters(index = "1", defaultValue = "3", description = "Partitions (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Override
    public Integer call() throws Exception {
      io.casefeed.bench.streams.StreamsBenchmark.main(new String[] {Integer.toString(observations), Integer.toString(partitions)});
      return 0;
    }
  }

  @Command(name = "sink", mixinStandardHelpOptions = true,
      description = "Change events/s written to Parquet on local S3 vs the raw consume rate of the same topic.")
  static final class Sink implements Callable<Integer> {
    @Parameters(index = "0", defaultValue = "100000", description = "Change events (default: ${DEFAULT-VALUE}).")
    int records;

    @Override
    public Integer call() throws Exception {
      io.casefeed.bench.sink.SinkBenchmark.main(new String[] {Integer.toString(records)});
      return 0;
    }
  }

  /** The soak ({@code bench} module) measuring the demo's wiring: its options and description are the soak's own. */
  @Command(name = "soak")
  static final class Soak extends SoakBenchmark {
    Soak() {
      super(DemoSoakPipeline::start);
    }
  }
}
