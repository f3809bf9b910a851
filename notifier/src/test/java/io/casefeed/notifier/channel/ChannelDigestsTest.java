package io.casefeed.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.notifier.alert.AlertEvent;
import io.casefeed.notifier.delivery.Delivery;
import io.casefeed.notifier.delivery.NotificationLedger;
import io.casefeed.notifier.delivery.OutgoingMail;
import io.casefeed.notifier.digest.Digest;
import io.casefeed.notifier.link.PresignedLink;
import io.casefeed.notifier.render.CaseLine;
import io.casefeed.schema.NotificationRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChannelDigestsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant PERIOD = Instant.parse("2026-12-05T08:00:00Z");
  private static final Clock CLOCK = Clock.fixed(PERIOD.plusSeconds(3), ZoneOffset.UTC);
  private static final PresignedLink LINK = new PresignedLink(
      "https://lists.s3.amazonaws.com/casefeed/case_list/latest/case_list.csv?X-Amz-Expires=604800&X-Amz-Signature=ab|cd",
      Instant.parse("2026-12-12T08:00:03Z"));
  private static final ChannelTarget SLACK = target("oncall", ChannelKind.SLACK, true);
  private static final ChannelTarget TEAMS = target("leads", ChannelKind.TEAMS, true);
  private static final ChannelTarget ALERTS_ONLY = target("pager", ChannelKind.SLACK, false);

  private final ChannelDeliveryTest.FakePoster poster = new ChannelDeliveryTest.FakePoster();
  private final List<NotificationRecord> written = new ArrayList<>();
  private final NotificationLedger ledger = new NotificationLedger();
  private final ChannelDigests digests = new ChannelDigests(new ChannelDelivery(poster, written::add, ledger, CLOCK,
      new SimpleMeterRegistry(), (step, mail) -> { }, d -> { }, 3, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(1)));

  private static ChannelTarget target(String name, ChannelKind kind, boolean digests) {
    return new ChannelTarget(name, kind, URI.create("https://hooks.example.com/" + name), null, null,
        EnumSet.allOf(AlertEvent.Kind.class), null, digests);
  }

  private static CaseLine line(int i, String severity) {
    return new CaseLine("111111111111", "prod-payments", "17" + i, "Payments API errors " + i, "opened", severity,
        "amazon-ec2", "2026-12-01T08:00:00Z", "https://console.example/17" + i, null);
  }

  private static Digest digest() {
    List<CaseLine> urgent = IntStream.range(0, 7).mapToObj(i -> line(i, "urgent")).toList();
    return new Digest("ops", PERIOD.minus(Duration.ofDays(1)), PERIOD, ZoneOffset.UTC, List.of(), List.of(),
        List.of(line(90, "low"), line(91, "high")), List.of(line(92, "normal")), List.of(), List.of(), 0,
        List.of(line(93, "low")), urgent, List.of(), 42, "case-id,status\n");
  }

  @Test
  void eachTargetThatTakesDigestsGetsOneSummaryOnceAndTheLedgerCallsItADigest() throws Exception {
    List<Delivery.Outcome> outcomes = digests.send(List.of(SLACK, ALERTS_ONLY, TEAMS), digest(), PERIOD, Optional.of(LINK));

    assertThat(outcomes).containsExactly(Delivery.Outcome.SENT, Delivery.Outcome.SENT);
    assertThat(poster.posted).containsExactly(ChannelIds.digest(PERIOD, "ops", SLACK), ChannelIds.digest(PERIOD, "ops", TEAMS));
    assertThat(written).extracting(NotificationRecord::getKind).containsOnly(OutgoingMail.DIGEST);
    assertThat(written).extracting(NotificationRecord::getStage)
        .containsExactly(NotificationLedger.INTENDED, NotificationLedger.SENT, NotificationLedger.INTENDED, NotificationLedger.SENT);
    assertThat(ledger.latestDigestPeriod()).contains(PERIOD);

    // The same digest again (a restart sending the period once more): nothing posted twice.
    assertThat(digests.send(List.of(SLACK, TEAMS), digest(), PERIOD, Optional.of(LINK)))
        .containsOnly(Delivery.Outcome.ALREADY_DONE);
    assertThat(poster.posted).hasSize(2);
  }

  @Test
  void slackShowsTheCountsTheUrgentCasesAndTheLink() throws Exception {
    JsonNode message = JSON.readTree(digests.render(SLACK, digest(), PERIOD, Optional.of(LINK)).body());

    assertThat(message.path("text").asText()).isEqualTo("[casefeed] ops digest: 42 cases, 2 opened, 1 resolved");
    String all = message.toString();
    assertThat(all).contains("*Cases*\\n42").contains("*Urgent or critical, open*\\n7")
        .contains("<https://console.example/170|170>").contains("prod-payments (111111111111)")
        .contains("_and 2 more_").doesNotContain("Payments API errors 5")
        .contains("<" + LINK.url().replace("|", "%7C") + "|Download the case list>").contains("2026-12-12T08:00:03Z");
    assertThat(message.path("blocks")).hasSizeLessThanOrEqualTo(50);
  }

  @Test
  void teamsCarriesTheLinkAsAnOpenUrlAction() throws Exception {
    JsonNode card = JSON.readTree(digests.render(TEAMS, digest(), PERIOD, Optional.of(LINK)).body())
        .path("attachments").path(0).path("content");

    assertThat(card.path("type").asText()).isEqualTo("AdaptiveCard");
    assertThat(card.path("actions").path(0).path("type").asText()).isEqualTo("Action.OpenUrl");
    assertThat(card.path("actions").path(0).path("url").asText()).isEqualTo(LINK.url());
    assertThat(card.toString()).contains("\"title\":\"Cases\",\"value\":\"42\"").contains("[170](https://console.example/170)");
  }

  @Test
  void withoutALinkTheSummaryStandsAlone() throws Exception {
    String slack = new String(digests.render(SLACK, digest(), PERIOD, Optional.empty()).body(), java.nio.charset.StandardCharsets.UTF_8);
    JsonNode teams = JSON.readTree(digests.render(TEAMS, digest(), PERIOD, Optional.empty()).body());

    assertThat(slack).doesNotContain("Download").contains("*Cases*\\n42");
    assertThat(teams.path("attachments").path(0).path("content").has("actions")).isFalse();
  }
}
