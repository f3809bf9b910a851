package io.casefeed.app.demo;

import java.util.Locale;

/**
 * What the demo's status line shows: how far the pipeline got and whether it keeps up.
 *
 * @param changes changes published to the change feed since the start (a counter, for the rate)
 * @param lag records the consumer groups have yet to read, summed over every group
 */
record DemoStatus(long accountsRead, long cases, long open, long changes, long mailsSent, long lag) {

  /** The line, with the change rate measured since {@code previous} ({@code seconds} ago). */
  String render(DemoStatus previous, double seconds) {
    double rate = previous == null || seconds <= 0 ? 0 : Math.max(0, changes - previous.changes) / seconds;
    return String.format(Locale.ROOT, "status: accounts read %d, cases %d (%d open), changes %.1f/s, mails sent %d, lag %d",
        accountsRead, cases, open, rate, mailsSent, lag);
  }

  /** Whether anything but the rate moved: plain output prints a line only then. */
  boolean sameCounts(DemoStatus other) {
    return other != null && accountsRead == other.accountsRead && cases == other.cases && open == other.open
        && mailsSent == other.mailsSent && lag == other.lag;
  }
}
