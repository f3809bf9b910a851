package io.casefeed.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class BusinessHoursTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void officeHoursInTheTargetsZone() {
    BusinessHours office = BusinessHours.parse("Mon-Fri 09:00-18:00", BERLIN);
    // 2026-12-04 is a Friday; Berlin is UTC+1 in December.
    assertThat(office.contains(Instant.parse("2026-12-04T08:00:00Z"))).as("Fri 09:00 Berlin").isTrue();
    assertThat(office.contains(Instant.parse("2026-12-04T07:59:59Z"))).as("Fri 08:59:59 Berlin").isFalse();
    assertThat(office.contains(Instant.parse("2026-12-04T16:59:59Z"))).as("Fri 17:59:59 Berlin").isTrue();
    assertThat(office.contains(Instant.parse("2026-12-04T17:00:00Z"))).as("Fri 18:00 Berlin, the end is excluded").isFalse();
    assertThat(office.contains(Instant.parse("2026-12-05T10:00:00Z"))).as("Saturday").isFalse();
  }

  @Test
  void anOvernightSpanBelongsToTheDayItStarts() {
    BusinessHours nights = BusinessHours.parse("Mon-Fri 22:00-06:00", ZoneId.of("UTC"));
    assertThat(nights.contains(Instant.parse("2026-12-04T23:00:00Z"))).as("Fri 23:00").isTrue();
    assertThat(nights.contains(Instant.parse("2026-12-05T02:00:00Z"))).as("Sat 02:00, Friday's night").isTrue();
    assertThat(nights.contains(Instant.parse("2026-12-06T02:00:00Z"))).as("Sun 02:00, Saturday's night").isFalse();
    assertThat(nights.contains(Instant.parse("2026-12-07T02:00:00Z"))).as("Mon 02:00, Sunday's night").isFalse();
    assertThat(nights.contains(Instant.parse("2026-12-07T12:00:00Z"))).as("Mon noon").isFalse();
  }

  @Test
  void daysAsListsAndRangesAndTheDefault() {
    assertThat(BusinessHours.parse("Sat,Sun 00:00-00:00", BERLIN).days()).containsExactly(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
    assertThat(BusinessHours.parse("fri-mon 08:00-20:00", BERLIN).days())
        .containsExactlyInAnyOrder(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY, DayOfWeek.MONDAY);
    assertThat(BusinessHours.parse("* 08:00-20:00", BERLIN).days()).hasSize(7);
    assertThat(BusinessHours.parse("", BERLIN)).isSameAs(BusinessHours.ALWAYS);
    assertThat(BusinessHours.ALWAYS.contains(Instant.parse("2026-12-06T03:00:00Z"))).isTrue();
  }

  @Test
  void mistakesSayWhat() {
    assertThatThrownBy(() -> BusinessHours.parse("Mon-Fri", BERLIN)).hasMessageContaining("like \"Mon-Fri 09:00-18:00\"");
    assertThatThrownBy(() -> BusinessHours.parse("Mon-Fri 9-18", BERLIN)).hasMessageContaining("HH:MM-HH:MM");
    assertThatThrownBy(() -> BusinessHours.parse("Mon-Fry 09:00-18:00", BERLIN)).hasMessageContaining("unknown day Fry");
    assertThatThrownBy(() -> BusinessHours.parse("Mon-Fri 09:00-25:00", BERLIN)).hasMessageContaining("24-hour clock");
  }
}
