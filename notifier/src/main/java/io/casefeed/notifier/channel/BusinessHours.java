package io.casefeed.notifier.channel;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * When a channel target takes alerts, in its own time zone: "Mon-Fri 09:00-18:00" for a team channel
 * read in office hours, while an on-call channel takes them around the clock. A span whose end is
 * before its start runs overnight and belongs to the day it starts ("Mon-Fri 22:00-06:00" includes
 * Saturday 02:00). The window's start decides, not the time of sending, so a replay after a restart
 * routes the window as before.
 */
public record BusinessHours(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone) {

  /** Every day, all day: the default. */
  public static final BusinessHours ALWAYS =
      new BusinessHours(EnumSet.allOf(DayOfWeek.class), LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, ZoneId.of("UTC"));

  private static final List<String> DAY_NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

  public BusinessHours {
    days = days.isEmpty() ? EnumSet.noneOf(DayOfWeek.class) : EnumSet.copyOf(days);
  }

  /**
   * Parses "DAYS HH:MM-HH:MM": DAYS is "*" or a comma list of days and day ranges (Mon-Fri, Sat,Sun);
   * an empty or blank spec is {@link #ALWAYS} in any zone.
   *
   * @throws IllegalArgumentException saying what is wrong, for a configuration error
   */
  public static BusinessHours parse(String spec, ZoneId zone) {
    if (spec == null || spec.isBlank()) {
      return ALWAYS;
    }
    String[] parts = spec.trim().split("\\s+");
    if (parts.length != 2) {
      throw new IllegalArgumentException("expected days and a time span, like \"Mon-Fri 09:00-18:00\"");
    }
    Set<DayOfWeek> days = parts[0].equals("*") ? EnumSet.allOf(DayOfWeek.class) : days(parts[0]);
    String[] span = parts[1].split("-", -1);
    if (span.length != 2) {
      throw new IllegalArgumentException("the time span " + parts[1] + " is not HH:MM-HH:MM");
    }
    try {
      return new BusinessHours(days, LocalTime.parse(span[0]), LocalTime.parse(span[1]), zone);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("the time span " + parts[1] + " is not HH:MM-HH:MM (24-hour clock)");
    }
  }

  private static Set<DayOfWeek> days(String list) {
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String item : list.split(",")) {
      String[] range = item.split("-", -1);
      if (range.length > 2) {
        throw new IllegalArgumentException("the days " + item + " are not a day or a range like Mon-Fri");
      }
      DayOfWeek first = day(range[0]);
      DayOfWeek last = range.length == 2 ? day(range[1]) : first;
      for (DayOfWeek d = first; ; d = d.plus(1)) {
        days.add(d);
        if (d == last) {
          break;
        }
      }
    }
    return days;
  }

  private static DayOfWeek day(String name) {
    String key = name.trim().toLowerCase(Locale.ROOT);
    int index = key.length() < 3 ? -1 : DAY_NAMES.indexOf(key.substring(0, 3));
    if (index < 0 || !("monday tuesday wednesday thursday friday saturday sunday".contains(key))) {
      throw new IllegalArgumentException("unknown day " + name + " (Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
    }
    return DayOfWeek.of(index + 1);
  }

  /** Whether {@code at} falls in these hours. */
  public boolean contains(Instant at) {
    if (from.equals(to)) {
      return days.size() == 7 || days.contains(local(at).getDayOfWeek());
    }
    ZonedDateTime local = local(at);
    LocalTime time = local.toLocalTime();
    DayOfWeek day = local.getDayOfWeek();
    if (from.isBefore(to)) {
      return days.contains(day) && !time.isBefore(from) && time.isBefore(to);
    }
    return days.contains(day) && !time.isBefore(from) || days.contains(day.minus(1)) && time.isBefore(to);
  }

  private ZonedDateTime local(Instant at) {
    try {
      return at.atZone(zone);
    } catch (DateTimeException e) {
      throw new IllegalStateException("cannot place " + at + " in " + zone, e);
    }
  }

  @Override
  public String toString() {
    return this == ALWAYS ? "always" : days + " " + from + "-" + to + " " + zone;
  }
}
