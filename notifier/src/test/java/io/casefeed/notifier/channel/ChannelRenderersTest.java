package io.casefeed.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.notifier.alert.AlertEvent;
import io.casefeed.notifier.testing.Cases;
import io.casefeed.schema.CaseDetails;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ChannelRenderersTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONSOLE = "https://console.example/case/?displayId={displayId}";
  private static final Instant WINDOW = Instant.parse("2026-11-26T08:00:00Z");
  private static final Function<String, String> NAMES = Map.of("111111111111", "prod-payments")::get;

  private static ChannelTarget target(ChannelKind kind) {
    return new ChannelTarget("t1", kind, URI.create("https://hooks.example.com/x"), kind == ChannelKind.WEBHOOK
        ? "0123456789abcdef" : null, null, EnumSet.allOf(AlertEvent.Kind.class));
  }

  private static final CaseDetails URGENT = Cases.details("111111111111", "4711", "Payments <down> & out", "opened", "urgent",
      Instant.parse("2026-11-26T07:59:00Z"));
  private static final AlertEvent OPENED = new AlertEvent("ev-1", AlertEvent.Kind.NEW_CASE, "111111111111",
      Instant.parse("2026-11-26T08:00:12.345Z"), Cases.summary(URGENT), "opened as urgent");
  private static final AlertEvent UNREADABLE = new AlertEvent("unreadable|222222222222|x", AlertEvent.Kind.ACCOUNT_UNREADABLE,
      "222222222222", Instant.parse("2026-11-26T08:00:20Z"), null, "unreadable: AccessDenied");

  @Test
  void aWebhookGetsOneCloudEventPerAlertWithTheNotificationIdAsId() throws Exception {
    ChannelTarget target = target(ChannelKind.WEBHOOK);
    List<ChannelPost> posts = new CloudEventRenderer(JSON, CONSOLE).render(target, "ops", WINDOW, List.of(OPENED, UNREADABLE), NAMES);
    assertThat(posts).hasSize(2);
    JsonNode event = JSON.readTree(posts.get(0).body());
    assertThat(event.path("specversion").asText()).isEqualTo("1.0");
    assertThat(event.path("type").asText()).isEqualTo("io.casefeed.case.opened");
    assertThat(event.path("id").asText()).isEqualTo(posts.get(0).notificationId())
        .isEqualTo("alert|2026-11-26T08:00:00Z|ops|webhook:t1|ev-1");
    assertThat(event.path("time").asText()).isEqualTo("2026-11-26T08:00:12.345Z");
    assertThat(event.path("source").asText()).isEqualTo("urn:casefeed:notifier:ops");
    JsonNode data = event.path("data");
    assertThat(data.path("account").path("id").asText()).isEqualTo("111111111111");
    assertThat(data.path("account").path("name").asText()).isEqualTo("prod-payments");
    assertThat(data.path("case").path("severity").asText()).isEqualTo("urgent");
    assertThat(data.path("case").path("status").asText()).isEqualTo("opened");
    assertThat(data.path("case").path("subject").asText()).isEqualTo("Payments <down> & out");
    assertThat(data.path("case").path("consoleLink").asText()).isEqualTo("https://console.example/case/?displayId=4711");
    JsonNode account = JSON.readTree(posts.get(1).body());
    assertThat(account.path("type").asText()).isEqualTo("io.casefeed.account.unreadable");
    assertThat(account.path("data").path("account").path("name").isNull()).isTrue();
    assertThat(posts.get(1).contentType()).startsWith("application/cloudevents+json");
  }

  @Test
  void slackGetsOneBlockKitMessagePerWindowWithEscapedTextAndALinkedCase() throws Exception {
    List<ChannelPost> posts = new SlackRenderer(JSON, CONSOLE, ZoneOffset.UTC)
        .render(target(ChannelKind.SLACK), "ops", WINDOW, List.of(OPENED, UNREADABLE), NAMES);
    assertThat(posts).hasSize(1);
    JsonNode message = JSON.readTree(posts.get(0).body());
    assertThat(message.path("text").asText()).isEqualTo("[casefeed] ops: 1 new case, 1 account unreadable");
    JsonNode blocks = message.path("blocks");
    assertThat(blocks.get(0).path("type").asText()).isEqualTo("header");
    String section = blocks.get(1).path("text").path("text").asText();
    assertThat(section).contains("<https://console.example/case/?displayId=4711|4711>")
        .contains("Payments &lt;down&gt; &amp; out").contains("prod-payments (111111111111)").contains("*urgent*");
    assertThat(blocks.get(2).path("text").path("text").asText()).contains("222222222222");
    assertThat(blocks.get(blocks.size() - 1).path("type").asText()).isEqualTo("context");
  }

  @Test
  void teamsGetsAnAdaptiveCardInTheAttachmentsEnvelope() throws Exception {
    List<ChannelPost> posts = new TeamsRenderer(JSON, CONSOLE, ZoneOffset.UTC)
        .render(target(ChannelKind.TEAMS), "ops", WINDOW, List.of(OPENED), NAMES);
    JsonNode message = JSON.readTree(posts.get(0).body());
    assertThat(message.path("type").asText()).isEqualTo("message");
    JsonNode attachment = message.path("attachments").get(0);
    assertThat(attachment.path("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
    JsonNode card = attachment.path("content");
    assertThat(card.path("type").asText()).isEqualTo("AdaptiveCard");
    assertThat(card.path("version").asText()).isEqualTo("1.4");
    String all = card.toString();
    assertThat(all).contains("(https://console.example/case/?displayId=4711)").contains("prod-payments (111111111111)")
        .contains("Payments <down> & out");
  }

  @Test
  void aTargetFiltersBySeverityAndChange() {
    ChannelTarget urgentOpenings = new ChannelTarget("t", ChannelKind.SLACK, URI.create("https://h.example/x"), null, "urgent",
        Set.of(AlertEvent.Kind.NEW_CASE));
    AlertEvent high = new AlertEvent("ev-2", AlertEvent.Kind.NEW_CASE, "111111111111", WINDOW,
        Cases.summary(Cases.withSeverity(URGENT, "high")), "opened as high");
    AlertEvent escalated = new AlertEvent("ev-3", AlertEvent.Kind.ESCALATION, "111111111111", WINDOW, Cases.summary(URGENT), "high → urgent");
    assertThat(urgentOpenings.accepts(OPENED)).isTrue();
    assertThat(urgentOpenings.accepts(high)).isFalse();
    assertThat(urgentOpenings.accepts(escalated)).isFalse();
    assertThat(urgentOpenings.accepts(UNREADABLE)).isFalse();
    assertThat(urgentOpenings.toString()).doesNotContain("h.example");
  }
}
