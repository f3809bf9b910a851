package io.casefeed.notifier.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A five-field Unix cron expression (minute hour day-of-month month day-of-week) in a time zone, parsed
 * and evaluated by cron-utils: {@code *}, lists, ranges and steps; day-of-week 0 or 7 is Sunday; as in
 * cron, when both day fields are restricted a day matches either. A local time that daylight saving
 * skips does not fire that day, as cron-utils evaluates in the zone's real clock.
 */
final class CronSchedule implements DigestSchedule {

  /** A schedule that never fires in this many years is rejected rather than waited for. */
  private static final int SEARCH_YEARS = 5;

  /** Parsers are immutable and thread-safe: one for the process. */
  private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final String expression;
  private final ZoneId zone;
  private final ExecutionTime executions;

  private CronSchedule(String expression, ZoneId zone, ExecutionTime executions) {
    this.expression = expression;
    this.zone = zone;
    this.executions = executions;
  }

  static CronSchedule parse(String expression, ZoneId zone) {
    if (expression.trim().split("\\s+").length != 5) {
      throw new IllegalArgumentException(
          "expected 'every <n>s|m|h' or five cron fields 'minute hour day-of-month month day-of-week', got '" + expression + "'");
    }
    Cron cron;
    try {
      cron = UNIX.parse(expression).validate();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + expression + "' is not a valid cron expression: " + e.getMessage(), e);
    }
    CronSchedule schedule = new CronSchedule(expression, zone, ExecutionTime.forCron(cron));
    // Fail at start, not at the first digest, for an expression that names no real day (e.g. 31 February).
    schedule.nextFireAfter(Instant.EPOCH.plus(365L * 50, ChronoUnit.DAYS));
    return schedule;
  }

  @Override
  public String expression() {
    return expression;
  }

  @Override
  public Instant nextFireAfter(Instant time) {
    ZonedDateTime from = time.atZone(zone);
    return executions.nextExecution(from)
        .filter(next -> next.isBefore(from.plusYears(SEARCH_YEARS)))
        .map(ZonedDateTime::toInstant)
        .orElseThrow(() -> new IllegalArgumentException("'" + expression + "' never fires"));
  }

  @Override
  public Instant latestFireAtOrBefore(Instant time) {
    // cron-utils looks strictly before; fire times are whole minutes, so asking from the next whole
    // second finds a fire at exactly 'time' too, and nothing after it.
    ZonedDateTime justAfter = time.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).atZone(zone);
    Optional<ZonedDateTime> last = executions.lastExecution(justAfter)
        .filter(fire -> fire.isAfter(justAfter.minusYears(SEARCH_YEARS)));
    return last.map(ZonedDateTime::toInstant)
        .filter(fire -> !fire.isAfter(time))
        .orElseThrow(() -> new IllegalArgumentException("'" + expression + "' never fired in the last " + SEARCH_YEARS + " years"));
  }
}
