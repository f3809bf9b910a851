package io.casefeed.notifier.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DigestScheduleTest {

  private static final ZoneId UTC = ZoneOffset.UTC;

  @Test
  void dailyAtEightUtcFiresAtEightAndLooksBackToTheLastEight() {
    DigestSchedule daily = DigestSchedule.parse("0 8 * * *", UTC);
    assertThat(daily.nextFireAfter(Instant.parse("2026-11-26T07:59:59Z"))).isEqualTo(Instant.parse("2026-11-26T08:00:00Z"));
    assertThat(daily.nextFireAfter(Instant.parse("2026-11-26T08:00:00Z"))).isEqualTo(Instant.parse("2026-11-27T08:00:00Z"));
    assertThat(daily.latestFireAtOrBefore(Instant.parse("2026-11-26T08:00:00Z"))).isEqualTo(Instant.parse("2026-11-26T08:00:00Z"));
    assertThat(daily.latestFireAtOrBefore(Instant.parse("2026-11-26T07:00:00Z"))).isEqualTo(Instant.parse("2026-11-25T08:00:00Z"));
  }

  @Test
  void timeZoneMovesTheFireTimeAcrossDaylightSaving() {
    DigestSchedule paris = DigestSchedule.parse("0 8 * * *", ZoneId.of("Europe/Paris"));
    assertThat(paris.nextFireAfter(Instant.parse("2026-07-01T00:00:00Z"))).isEqualTo(Instant.parse("2026-07-01T06:00:00Z"));
    assertThat(paris.nextFireAfter(Instant.parse("2026-12-01T00:00:00Z"))).isEqualTo(Instant.parse("2026-12-01T07:00:00Z"));
  }

  @Test
  void weekdaysListsRangesAndSteps() {
    DigestSchedule weekdays = DigestSchedule.parse("30 9,17 * * 1-5", UTC);
    // 2026-11-27 is a Friday: next after Friday 17:30 is Monday 09:30.
    assertThat(weekdays.nextFireAfter(Instant.parse("2026-11-27T17:30:00Z"))).isEqualTo(Instant.parse("2026-11-30T09:30:00Z"));
    DigestSchedule quarterly = DigestSchedule.parse("*/15 * * * *", UTC);
    assertThat(quarterly.nextFireAfter(Instant.parse("2026-11-26T10:07:00Z"))).isEqualTo(Instant.parse("2026-11-26T10:15:00Z"));
    DigestSchedule sunday = DigestSchedule.parse("0 0 * * 7", UTC);
    assertThat(sunday.nextFireAfter(Instant.parse("2026-11-26T00:00:00Z"))).isEqualTo(Instant.parse("2026-11-29T00:00:00Z"));
  }

  @Test
  void whenBothDayFieldsAreRestrictedEitherMatchesAsInCron() {
    // The 13th of each month or any Friday (not only Friday the 13th): after Friday 2026-11-13 comes
    // Friday the 20th; after Friday 2026-12-11 comes Sunday the 13th.
    DigestSchedule either = DigestSchedule.parse("0 9 13 * 5", UTC);
    assertThat(either.nextFireAfter(Instant.parse("2026-11-13T09:00:00Z"))).isEqualTo(Instant.parse("2026-11-20T09:00:00Z"));
    assertThat(either.nextFireAfter(Instant.parse("2026-12-11T09:00:00Z"))).isEqualTo(Instant.parse("2026-12-13T09:00:00Z"));
  }

  @Test
  void aLocalTimeThatDaylightSavingSkipsDoesNotFireThatDay() {
    // Berlin springs forward on 2026-03-29 from 02:00 to 03:00: 02:30 does not exist that day.
    DigestSchedule berlin = DigestSchedule.parse("30 2 * * *", ZoneId.of("Europe/Berlin"));
    Instant next = berlin.nextFireAfter(Instant.parse("2026-03-28T01:30:00Z"));
    assertThat(next).isEqualTo(Instant.parse("2026-03-30T00:30:00Z"));
    assertThat(berlin.latestFireAtOrBefore(Instant.parse("2026-03-29T12:00:00Z"))).isEqualTo(Instant.parse("2026-03-28T01:30:00Z"));
  }

  @Test
  void latestFireAtOrBeforeIncludesTheInstantItselfEvenWithNanos() {
    DigestSchedule hourly = DigestSchedule.parse("0 * * * *", UTC);
    assertThat(hourly.latestFireAtOrBefore(Instant.parse("2026-11-26T10:00:00Z"))).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
    assertThat(hourly.latestFireAtOrBefore(Instant.parse("2026-11-26T10:59:59.999999999Z"))).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
    assertThat(hourly.latestFireAtOrBefore(Instant.parse("2026-11-26T09:59:59.5Z"))).isEqualTo(Instant.parse("2026-11-26T09:00:00Z"));
  }

  @Test
  void everyIntervalIsAlignedToTheEpochSoRestartsKeepThePeriods() {
    DigestSchedule every5 = DigestSchedule.parse("every 5m", UTC);
    assertThat(every5.latestFireAtOrBefore(Instant.parse("2026-11-26T10:07:13Z"))).isEqualTo(Instant.parse("2026-11-26T10:05:00Z"));
    assertThat(every5.nextFireAfter(Instant.parse("2026-11-26T10:05:00Z"))).isEqualTo(Instant.parse("2026-11-26T10:10:00Z"));
    assertThat(DigestSchedule.parse("every 20s", UTC).nextFireAfter(Instant.parse("2026-11-26T10:00:01Z")))
        .isEqualTo(Instant.parse("2026-11-26T10:00:20Z"));
  }

  @Test
  void badSchedulesSayWhatIsWrong() {
    assertThatThrownBy(() -> DigestSchedule.parse("0 25 * * *", UTC)).hasMessageContaining("'0 25 * * *' is not a valid cron expression");
    assertThatThrownBy(() -> DigestSchedule.parse("daily", UTC)).hasMessageContaining("five cron fields");
    assertThatThrownBy(() -> DigestSchedule.parse("0 8 31 2 *", UTC)).hasMessageContaining("never fires");
    assertThatThrownBy(() -> DigestSchedule.parse("every 0m", UTC)).hasMessageContaining("positive");
  }
}
