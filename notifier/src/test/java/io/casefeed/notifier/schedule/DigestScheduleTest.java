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
  void everyIntervalIsAlignedToTheEpochSoRestartsKeepThePeriods() {
    DigestSchedule every5 = DigestSchedule.parse("every 5m", UTC);
    assertThat(every5.latestFireAtOrBefore(Instant.parse("2026-11-26T10:07:13Z"))).isEqualTo(Instant.parse("2026-11-26T10:05:00Z"));
    assertThat(every5.nextFireAfter(Instant.parse("2026-11-26T10:05:00Z"))).isEqualTo(Instant.parse("2026-11-26T10:10:00Z"));
    assertThat(DigestSchedule.parse("every 20s", UTC).nextFireAfter(Instant.parse("2026-11-26T10:00:01Z")))
        .isEqualTo(Instant.parse("2026-11-26T10:00:20Z"));
  }

  @Test
  void badSchedulesSayWhatIsWrong() {
    assertThatThrownBy(() -> DigestSchedule.parse("0 25 * * *", UTC)).hasMessageContaining("hour '25' is outside 0-23");
    assertThatThrownBy(() -> DigestSchedule.parse("daily", UTC)).hasMessageContaining("five cron fields");
    assertThatThrownBy(() -> DigestSchedule.parse("0 8 31 2 *", UTC)).hasMessageContaining("never fires");
    assertThatThrownBy(() -> DigestSchedule.parse("every 0m", UTC)).hasMessageContaining("positive");
  }
}
