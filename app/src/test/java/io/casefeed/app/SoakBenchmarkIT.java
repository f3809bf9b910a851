package io.casefeed.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A short soak on a small organisation: the whole pipeline, every change accounted for, the last line parseable. */
class SoakBenchmarkIT {

  private static final Pattern LAST_LINE = Pattern.compile("bench soak: minutes=(\\S+) accounts=(\\d+) changes=(\\d+) lost=(\\d+) "
      + "duplicated=(\\d+) p99_feed_ms=(\\d+) p99_s3_ms=(\\d+) max_rss_mb=(\\d+) events=(on|off)( p99_event_feed_ms=(\\d+))? "
      + "api_calls_per_change=([\\d.]+)( missed_events=(\\d+))?");
  private static final Pattern EVENTS_LINE = Pattern.compile("events: (\\d+) sent to the queue, (\\d+) dropped, (\\d+) sent twice.*"
      + "changes announced by an event: p50 (\\d+) ms, p99 (\\d+) ms, max (\\d+) ms over (\\d+) changes.*");

  @TempDir Path work;

  @Test
  void aShortSoakLosesAndDuplicatesNothingAndEndsWithTheMachineReadableLine() {
    StringWriter out = new StringWriter();
    int exit = soak(out, "--data-dir", work.resolve("data").toString());

    List<String> lines = out.toString().lines().toList();
    assertThat(lines).anyMatch(line -> line.startsWith("feed latency")).anyMatch(line -> line.startsWith("memory:"));
    Matcher last = LAST_LINE.matcher(lines.get(lines.size() - 1));
    assertThat(last.matches()).as(out.toString()).isTrue();
    assertThat(last.group(1)).isEqualTo("0.75");
    assertThat(Integer.parseInt(last.group(2))).isEqualTo(30);
    assertThat(Long.parseLong(last.group(3))).as("changes made").isPositive();
    assertThat(last.group(4)).as("lost\n%s", out).isEqualTo("0");
    assertThat(last.group(5)).as("duplicated\n%s", out).isEqualTo("0");
    long p99Feed = Long.parseLong(last.group(6));
    assertThat(p99Feed).as("a change reaches the feed within a few fast polls").isPositive().isLessThan(30_000);
    assertThat(Long.parseLong(last.group(7))).as("S3 latency measured").isPositive();
    assertThat(Long.parseLong(last.group(8))).as("RSS measured").isPositive();
    assertThat(last.group(9)).isEqualTo("off");
    assertThat(last.group(11)).as("no event latency without events").isNull();
    assertThat(Double.parseDouble(last.group(12))).as("DescribeCases calls per change").isPositive();
    assertThat(exit).isZero();
  }

  @Test
  void withEventsDroppedAndDuplicatedTheNetStillLosesNothingAndNothingArrivesTwice() {
    StringWriter out = new StringWriter();
    int exit = soak(out, "--events", "--event-loss", "0.2", "--event-duplicates", "0.1", "--net-ms", "5000",
        "--data-dir", work.resolve("events").toString());

    List<String> lines = out.toString().lines().toList();
    Matcher last = LAST_LINE.matcher(lines.get(lines.size() - 1));
    assertThat(last.matches()).as(out.toString()).isTrue();
    assertThat(last.group(4)).as("lost\n%s", out).isEqualTo("0");
    assertThat(last.group(5)).as("duplicated, with a tenth of the events sent twice\n%s", out).isEqualTo("0");
    assertThat(last.group(9)).isEqualTo("on");
    Matcher events = lines.stream().map(EVENTS_LINE::matcher).filter(Matcher::matches).findFirst().orElseThrow();
    assertThat(Long.parseLong(events.group(1))).as("events sent").isPositive();
    assertThat(Long.parseLong(events.group(2))).as("events dropped, of a fifth").isPositive();
    assertThat(Long.parseLong(events.group(7))).as("changes announced and measured").isPositive();
    assertThat(Long.parseLong(last.group(11))).as("the last line's p99 is the events line's").isEqualTo(Long.parseLong(events.group(5)));
    // Dropped events, and status moves AWS sends no event for: the net found them, the collector counted them.
    assertThat(Long.parseLong(last.group(14))).as("changes found by the net that no event announced").isPositive();
    assertThat(exit).isZero();
  }

  /** {@code casefeed bench soak} through the CLI, 45 s on 30 accounts at 4 changes/s, with {@code more} options. */
  private static int soak(StringWriter out, String... more) {
    CommandLine commandLine = Casefeed.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(new StringWriter(), true));
    List<String> args = new ArrayList<>(List.of("bench", "soak", "--minutes", "0.75", "--accounts", "30",
        "--changes-per-second", "4", "--fast-poll-ms", "2000", "--sweep-ms", "20000", "--flush-ms", "2000"));
    args.addAll(List.of(more));
    return commandLine.execute(args.toArray(String[]::new));
  }
}
