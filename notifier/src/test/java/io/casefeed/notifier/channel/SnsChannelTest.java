package io.casefeed.notifier.channel;

import io.casefeed.notifier.view.CaseSummary;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.notifier.alert.AlertEvent;
import io.casefeed.notifier.testing.Cases;
import io.casefeed.schema.CaseDetails;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SnsChannelTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant WINDOW = Instant.parse("2026-11-26T08:00:00Z");
  private static final Function<String, String> NAMES = Map.of("111111111111", "prod-payments")::get;
  private static final ChannelTarget TARGET = new ChannelTarget("pager", ChannelKind.SNS, null, null, null,
      EnumSet.allOf(AlertEvent.Kind.class), "arn:aws:sns:eu-west-1:111111111111:alerts.fifo");
  private static final CaseDetails URGENT = Cases.details("111111111111", "4711", "Payments down", "opened", "urgent",
      Instant.parse("2026-11-26T07:59:00Z"));
  private static final AlertEvent OPENED = new AlertEvent("ev-1", AlertEvent.Kind.NEW_CASE, "111111111111",
      Instant.parse("2026-11-26T08:00:12.345Z"), CaseSummary.of(URGENT), "opened as urgent");
  private static final AlertEvent UNREADABLE = new AlertEvent("unreadable|222222222222|x", AlertEvent.Kind.ACCOUNT_UNREADABLE,
      "222222222222", Instant.parse("2026-11-26T08:00:20Z"), null, "unreadable: AccessDenied");

  @Test
  void everyAlertIsAMessageWithFilterableAttributesAndTheCaseAsOrderKey() throws Exception {
    List<ChannelPost> posts = new SnsRenderer(new CloudEventRenderer(JSON, "https://console.example/{displayId}"))
        .render(TARGET, "prod", WINDOW, List.of(OPENED, UNREADABLE), NAMES);
    assertThat(posts).hasSize(2);
    ChannelPost opened = posts.get(0);
    assertThat(opened.notificationId()).isEqualTo("alert|2026-11-26T08:00:00Z|prod|sns:pager|ev-1");
    assertThat(opened.attributes()).containsEntry("severity", "urgent").containsEntry("change", "opened")
        .containsEntry("account_id", "111111111111").containsEntry("group", "prod");
    assertThat(opened.orderKey()).isEqualTo(URGENT.getCaseId().toString());
    JsonNode body = JSON.readTree(opened.body());
    assertThat(body.path("id").asText()).isEqualTo(opened.notificationId());
    assertThat(body.path("data").path("account").path("name").asText()).isEqualTo("prod-payments");
    ChannelPost account = posts.get(1);
    assertThat(account.attributes()).containsEntry("severity", "none").containsEntry("change", "account-unreadable")
        .containsEntry("account_id", "222222222222");
    assertThat(account.orderKey()).isEqualTo("account-222222222222");
  }

  @Test
  void fifoIdsAreTheTextWhenSnsTakesItElseAStableHash() {
    assertThat(SnsChannelPoster.fifoId("alert|2026-11-26T08:00:00Z|prod|sns:pager|ev-1"))
        .isEqualTo("alert|2026-11-26T08:00:00Z|prod|sns:pager|ev-1");
    String longId = "alert|" + "x".repeat(200);
    assertThat(SnsChannelPoster.fifoId(longId)).hasSize(64).matches("[0-9a-f]+").isEqualTo(SnsChannelPoster.fifoId(longId));
    assertThat(SnsChannelPoster.fifoId("with space")).hasSize(64);
  }

  @Test
  void theSubjectIsPrintableAsciiOfAtMostAHundredCharacters() {
    assertThat(SnsChannelPoster.subject("Case 1 – urgent\n")).isEqualTo("Case 1 ? urgent?");
    assertThat(SnsChannelPoster.subject("y".repeat(150))).hasSize(100).endsWith("...");
    assertThat(SnsChannelPoster.subject(" ")).isNull();
  }

  @Test
  void postsGoToThePosterOfTheirKind() throws Exception {
    ChannelPoster posters = new ChannelPosters(post -> "http", Map.of(ChannelKind.SNS, post -> "sns"));
    ChannelPost sns = new ChannelPost("id", "g", TARGET, WINDOW.toString(), "s", "application/json", new byte[0]);
    ChannelTarget slack = new ChannelTarget("s", ChannelKind.SLACK, java.net.URI.create("https://h.example/x"), null, null,
        EnumSet.allOf(AlertEvent.Kind.class));
    assertThat(posters.post(sns)).isEqualTo("sns");
    assertThat(posters.post(new ChannelPost("id", "g", slack, WINDOW.toString(), "s", "application/json", new byte[0])))
        .isEqualTo("http");
  }
}
