package io.casefeed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.e2e.FaultLog.Kind;
import io.casefeed.notifier.channel.ChannelKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The end-to-end fault suite: the collector, stream processor, sink and notifier each in its own JVM,
 * the broker in another, local-cloud in this one; SIGKILLs, broker restarts, AWS faults and S3
 * failures; then every invariant against local-cloud's ground truth. {@code -Dfaults.rounds=N} (the
 * {@code faults-long} profile: 20) repeats the round of faults; the default is one round (about three
 * minutes). Logs of every JVM stay in {@code target/fault-suite/}.
 */
class FaultSuiteIT {

  @Test
  @Timeout(value = 3, unit = TimeUnit.HOURS)
  void thePipelineLosesNothingAndDuplicatesNothingUnderFaults() throws Exception {
    int rounds = Integer.getInteger("faults.rounds", 1);
    Path dir = Files.createDirectories(Path.of("target", "fault-suite")).resolve("run-" + System.currentTimeMillis()).toAbsolutePath();

    FaultSuite.Result result = new FaultSuite(System.out).run(dir, rounds);

    for (Kind kind : Kind.values()) {
      assertThat(result.faults().count(kind)).as("%s injected (a run without faults proves nothing)", kind.label).isPositive();
    }
    assertThat(result.verdict().row(InvariantChecker.FEED_STATES).checked).as("ground-truth states checked").isPositive();
    assertThat(result.verdict().row(InvariantChecker.S3_EVENTS).checked).as("change events checked in S3").isPositive();
    for (ChannelKind channel : ChannelKind.values()) {
      assertThat(result.verdict().row(ChannelPostChecker.check(channel)).checked).as("alerts posted to %s checked", channel).isPositive();
    }
    assertThat(result.verdict().violationCount()).as("violations; logs in %s%n%s", dir, result.table()).isZero();
  }
}
