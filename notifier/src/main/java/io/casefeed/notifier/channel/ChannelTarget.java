package io.casefeed.notifier.channel;

import io.casefeed.notifier.alert.AlertEvent;
import io.casefeed.notifier.view.Severity;
import java.net.URI;
import java.util.Set;

/**
 * One place alerts are posted to, with its own filters. The URL and the secret are credentials (a
 * Slack or Teams webhook URL lets anyone post to the channel), so {@link #toString()} never shows them.
 *
 * @param name the target's name in configuration, as the ledger records it
 * @param url where to POST; null for SNS
 * @param secret the HMAC key of a generic webhook, the bot token of a Slack Web API target, else null
 * @param minSeverity case alerts below this severity are not posted here; null = every alerted case
 * @param changes which kinds of alert this target takes
 * @param address what the target names besides a URL: an SNS topic's ARN, a Slack Web API target's channel; else null
 * @param digests whether each digest of its groups is posted here too, as a summary (Slack and Teams)
 * @param hours when it takes alerts (by the window's start); {@link BusinessHours#ALWAYS} by default
 */
public record ChannelTarget(String name, ChannelKind kind, URI url, String secret, String minSeverity,
    Set<AlertEvent.Kind> changes, String address, boolean digests, BusinessHours hours) {

  public ChannelTarget {
    changes = Set.copyOf(changes);
    hours = hours == null ? BusinessHours.ALWAYS : hours;
  }

  /** A target that takes alerts at any hour. */
  public ChannelTarget(String name, ChannelKind kind, URI url, String secret, String minSeverity,
      Set<AlertEvent.Kind> changes, String address, boolean digests) {
    this(name, kind, url, secret, minSeverity, changes, address, digests, BusinessHours.ALWAYS);
  }

  /** A target that takes alerts only. */
  public ChannelTarget(String name, ChannelKind kind, URI url, String secret, String minSeverity,
      Set<AlertEvent.Kind> changes, String address) {
    this(name, kind, url, secret, minSeverity, changes, address, false);
  }

  /** A target addressed by its URL alone (webhook, Slack, Teams). */
  public ChannelTarget(String name, ChannelKind kind, URI url, String secret, String minSeverity, Set<AlertEvent.Kind> changes) {
    this(name, kind, url, secret, minSeverity, changes, null);
  }

  /** Whether this target takes {@code event}: its kind is wanted and, for a case, its severity is high enough. */
  public boolean accepts(AlertEvent event) {
    if (!changes.contains(event.kind())) {
      return false;
    }
    if (minSeverity == null || event.details() == null) {
      return true;
    }
    String severity = event.details().severity();
    return Severity.atLeast(severity, minSeverity);
  }

  /** How the ledger names this target: "slack:oncall". Never the URL. */
  public String ledgerName() {
    return kind.configName() + ":" + name;
  }

  @Override
  public String toString() {
    return "ChannelTarget[" + ledgerName() + ", minSeverity=" + minSeverity + ", changes=" + changes + ", digests=" + digests + ", hours=" + hours + "]";
  }
}
