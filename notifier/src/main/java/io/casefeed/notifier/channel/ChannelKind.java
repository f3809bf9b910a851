package io.casefeed.notifier.channel;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The kinds of channel an alert can go to besides mail, and how each one cuts alerts into posts. */
public enum ChannelKind {
  /** A signed CloudEvents POST per alert event: a machine reading it wants one case per event. */
  WEBHOOK(true),
  /** A Slack incoming webhook: one Block Kit message per batching window, as a mail is. */
  SLACK(false),
  /** A Microsoft Teams Workflows webhook: one Adaptive Card per batching window. */
  TEAMS(false),
  /**
   * An Amazon SNS topic: one message per alert event, so subscribers can filter on its attributes
   * (severity, change, account) and a FIFO topic can keep each case's messages in order.
   */
  SNS(true);

  private final boolean perEvent;

  ChannelKind(boolean perEvent) {
    this.perEvent = perEvent;
  }

  /** True when every alert event is a post of its own, false when a window's events share one post. */
  public boolean perEvent() {
    return perEvent;
  }

  /** The name used in configuration and in the ledger: "webhook", "slack", "teams", "sns". */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ChannelKind> parse(String text) {
    return Arrays.stream(values()).filter(k -> k.configName().equals(text == null ? "" : text.trim().toLowerCase(Locale.ROOT)))
        .findFirst();
  }
}
