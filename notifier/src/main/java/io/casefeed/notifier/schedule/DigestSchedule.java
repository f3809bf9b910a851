package io.casefeed.notifier.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When digests are due. Two forms: {@code every <n><s|m|h>} (fire times are multiples of the
 * interval since the epoch, so a restart keeps the same periods) and a five-field cron expression
 * {@code minute hour day-of-month month day-of-week} evaluated in a time zone.
 */
public interface DigestSchedule {

  /** The latest fire time at or before {@code time}. */
  Instant latestFireAtOrBefore(Instant time);

  /** The first fire time strictly after {@code time}. */
  Instant nextFireAfter(Instant time);

  /** The expression it was parsed from. */
  String expression();

  /** Parses {@code expression}; throws IllegalArgumentException saying what is wrong. */
  static DigestSchedule parse(String expression, ZoneId zone) {
    String trimmed = expression == null ? "" : expression.trim();
    Matcher every = Pattern.compile("every\\s+(\\d+)\\s*([smh])").matcher(trimmed.toLowerCase(Locale.ROOT));
    if (every.matches()) {
      long amount = Long.parseLong(every.group(1));
      Duration unit = switch (every.group(2)) {
        case "s" -> Duration.ofSeconds(1);
        case "m" -> Duration.ofMinutes(1);
        default -> Duration.ofHours(1);
      };
      if (amount <= 0) {
        throw new IllegalArgumentException("the interval must be positive");
      }
      return new IntervalSchedule(trimmed, unit.multipliedBy(amount));
    }
    return CronSchedule.parse(trimmed, zone);
  }
}
