package io.casefeed.localcloud.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.localcloud.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** DescribeCases compares case times as text against a bound's key; the answer must be the instants' own. */
class TimeBoundKeyTest {

  @Test
  void comparingTextsAgreesWithComparingInstants() {
    Random random = new Random(7);
    List<Instant> bounds = new ArrayList<>(List.of(Instant.parse("0500-06-01T00:00:00Z"), Instant.parse("+12000-01-01T00:00:00Z"),
        Instant.parse("2026-12-03T20:00:00.123Z"), Instant.parse("2026-12-03T20:00:00.123000001Z"),
        Instant.parse("2026-12-03T20:00:00.122999999Z")));
    for (int i = 0; i < 2_000; i++) {
      bounds.add(Instant.parse("2026-12-03T20:00:00Z").plusNanos(random.nextLong() % 5_000_000_000L));
    }
    List<String> caseTimes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      caseTimes.add(Timestamps.format(Instant.parse("2026-12-03T20:00:00Z").plusMillis(random.nextLong() % 5_000)));
    }
    caseTimes.add("2026-12-03T20:00:00.123Z");
    for (Instant bound : bounds) {
      String key = SupportApi.boundKey(bound);
      for (String time : caseTimes) {
        boolean atOrAfter = !Instant.parse(time).isBefore(bound);
        assertThat(time.compareTo(key) >= 0).as("%s against %s (key %s)", time, bound, key).isEqualTo(atOrAfter);
      }
    }
    assertThat(SupportApi.boundKey(null)).isNull();
  }
}
