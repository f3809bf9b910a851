package io.casefeed.notifier.view;

import java.util.List;
import java.util.Locale;

/** AWS Support severity codes in rising order; a code AWS adds later ranks below all known ones. */
public final class Severity {

  public static final List<String> ORDER = List.of("low", "normal", "high", "urgent", "critical");

  private Severity() {}

  /** 0 for low up to 4 for critical; -1 for an unknown or missing code. */
  public static int rank(String severityCode) {
    return severityCode == null ? -1 : ORDER.indexOf(severityCode.toLowerCase(Locale.ROOT));
  }

  public static boolean atLeast(String severityCode, String threshold) {
    int rank = rank(severityCode);
    return rank >= 0 && rank >= rank(threshold);
  }
}
