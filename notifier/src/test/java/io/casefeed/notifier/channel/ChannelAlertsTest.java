package io.casefeed.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.notifier.alert.AlertEvent;
import io.casefeed.notifier.delivery.NotificationLedger;
import io.casefeed.notifier.testing.Cases;
import io.casefeed.notifier.view.CaseSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelAlertsTest {

  /** A Saturday, 03:00 in Berlin. */
  private static final Instant NIGHT = Instant.parse("2026-12-05T02:00:00Z");
  /** A Monday, 10:00 in Berlin. */
  private static final Instant OFFICE = Instant.parse("2026-12-07T09:00:00Z");

  private final ChannelDeliveryTest.FakePoster poster = new ChannelDeliveryTest.FakePoster();
  private final ChannelAlerts alerts = new ChannelAlerts(new ChannelDelivery(poster, r -> { }, new NotificationLedger(),
      Clock.fixed(OFFICE, ZoneOffset.UTC), new SimpleMeterRegistry(), (step, mail) -> { }, d -> { }, 3, Duration.ofMillis(1),
      Duration.ofMillis(1), Duration.ofSeconds(1)), "https://console.example/{displayId}", ZoneOffset.UTC);

  private static ChannelTarget target(String name, BusinessHours hours) {
    return new ChannelTarget(name, ChannelKind.SLACK, URI.create("https://hooks.example.com/" + name), null, null,
        EnumSet.allOf(AlertEvent.Kind.class), null, false, hours);
  }

  private static AlertEvent urgent(Instant at) {
    return new AlertEvent("e-" + at, AlertEvent.Kind.NEW_CASE, "111111111111", at,
        CaseSummary.of(Cases.details("111111111111", "4711", "Queue stuck", "opened", "urgent", at)), "opened as urgent");
  }

  @Test
  void aTargetWithOfficeHoursTakesTheWindowsThatStartInThemAndOnCallTakesEvery() throws Exception {
    ChannelTarget team = target("team", BusinessHours.parse("Mon-Fri 09:00-18:00", ZoneId.of("Europe/Berlin")));
    ChannelTarget oncall = target("oncall", BusinessHours.ALWAYS);

    alerts.send(List.of(team, oncall), "prod", NIGHT, List.of(urgent(NIGHT)), Map.<String, String>of()::get);
    alerts.send(List.of(team, oncall), "prod", OFFICE, List.of(urgent(OFFICE)), Map.<String, String>of()::get);

    assertThat(poster.posted).containsExactly(ChannelIds.alert(NIGHT, "prod", oncall), ChannelIds.alert(OFFICE, "prod", team),
        ChannelIds.alert(OFFICE, "prod", oncall));
  }
}
