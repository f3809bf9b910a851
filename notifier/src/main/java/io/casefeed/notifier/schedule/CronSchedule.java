package io.casefeed.notifier.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week) in a time zone, with
 * {@code *}, lists, ranges and steps; day-of-week 0 or 7 is Sunday. As in cron, when both day
 * fields are restricted a day matches either.
 */
final class CronSchedule implements DigestSchedule {

  /** A schedule whose fields never match in this many years is rejected rather than searched forever. */
  private static final int SEARCH_YEARS = 5;

  private final String expression;
  private final ZoneId zone;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean dayOfMonthRestricted;
  private final boolean dayOfWeekRestricted;

  private CronSchedule(String expression, ZoneId zone, String[] fields) {
    this.expression = expression;
    this.zone = zone;
    this.minutes = field(fields[0], 0, 59, "minute");
    this.hours = field(fields[1], 0, 23, "hour");
    this.daysOfMonth = field(fields[2], 1, 31, "day of month");
    this.months = field(fields[3], 1, 12, "month");
    BitSet dow = field(fields[4], 0, 7, "day of week");
    if (dow.get(7)) {
      dow.set(0);
    }
    this.daysOfWeek = dow;
    this.dayOfMonthRestricted = !fields[2].equals("*");
    this.dayOfWeekRestricted = !fields[4].equals("*");
  }

  static CronSchedule parse(String expression, ZoneId zone) {
    String[] fields = expression.split("\\s+");
    if (fields.length != 5) {
      throw new IllegalArgumentException(
          "expected 'every <n>s|m|h' or five cron fields 'minute hour day-of-month month day-of-week', got '" + expression + "'");
    }
    CronSchedule schedule = new CronSchedule(expression, zone, fields);
    schedule.nextFireAfter(Instant.EPOCH.plus(365L * 50, ChronoUnit.DAYS));
    return schedule;
  }

  @Override
  public String expression() {
    return expression;
  }

  @Override
  public Instant nextFireAfter(Instant time) {
    ZonedDateTime local = time.atZone(zone).truncatedTo(ChronoUnit.MINUTES);
    LocalDate day = local.toLocalDate();
    LocalDate limit = day.plusYears(SEARCH_YEARS);
    LocalTime from = local.toLocalTime();
    boolean firstDay = true;
    while (!day.isAfter(limit)) {
      if (dayMatches(day)) {
        for (int hour = firstDay ? from.getHour() : 0; hour < 24; hour++) {
          if (!hours.get(hour)) {
            continue;
          }
          for (int minute = 0; minute < 60; minute++) {
            if (!minutes.get(minute)) {
              continue;
            }
            Instant candidate = ZonedDateTime.of(day, LocalTime.of(hour, minute), zone).toInstant();
            if (candidate.isAfter(time)) {
              return candidate;
            }
          }
        }
      }
      day = day.plusDays(1);
      firstDay = false;
    }
    throw new IllegalArgumentException("'" + expression + "' never fires");
  }

  @Override
  public Instant latestFireAtOrBefore(Instant time) {
    ZonedDateTime local = time.atZone(zone);
    LocalDate day = local.toLocalDate();
    LocalDate limit = day.minusYears(SEARCH_YEARS);
    boolean firstDay = true;
    while (!day.isBefore(limit)) {
      if (dayMatches(day)) {
        for (int hour = firstDay ? local.getHour() : 23; hour >= 0; hour--) {
          if (!hours.get(hour)) {
            continue;
          }
          for (int minute = 59; minute >= 0; minute--) {
            if (!minutes.get(minute)) {
              continue;
            }
            Instant candidate = ZonedDateTime.of(day, LocalTime.of(hour, minute), zone).toInstant();
            if (!candidate.isAfter(time)) {
              return candidate;
            }
          }
        }
      }
      day = day.minusDays(1);
      firstDay = false;
    }
    throw new IllegalArgumentException("'" + expression + "' never fired in the last " + SEARCH_YEARS + " years");
  }

  private boolean dayMatches(LocalDate day) {
    if (!months.get(day.getMonthValue())) {
      return false;
    }
    boolean dom = daysOfMonth.get(day.getDayOfMonth());
    boolean dow = daysOfWeek.get(day.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : day.getDayOfWeek().getValue());
    if (dayOfMonthRestricted && dayOfWeekRestricted) {
      return dom || dow;
    }
    return dom && dow;
  }

  private static BitSet field(String text, int min, int max, String name) {
    BitSet bits = new BitSet(max + 1);
    for (String part : text.split(",")) {
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = number(part.substring(slash + 1), 1, max, name);
        range = part.substring(0, slash);
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = max;
      } else if (range.contains("-")) {
        String[] ends = range.split("-", 2);
        from = number(ends[0], min, max, name);
        to = number(ends[1], min, max, name);
        if (from > to) {
          throw new IllegalArgumentException(name + " range '" + range + "' runs backwards");
        }
      } else {
        from = number(range, min, max, name);
        to = slash >= 0 ? max : from;
      }
      for (int i = from; i <= to; i += step) {
        bits.set(i);
      }
    }
    return bits;
  }

  private static int number(String text, int min, int max, String name) {
    try {
      int value = Integer.parseInt(text);
      if (value < min || value > max) {
        throw new IllegalArgumentException(name + " '" + text + "' is outside " + min + "-" + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " '" + text + "' is not a number");
    }
  }
}
