package io.casefeed.notifier.channel;

import io.casefeed.notifier.view.CaseSummary;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.notifier.alert.AlertEvent;
import io.casefeed.notifier.delivery.NotificationLedger;
import io.casefeed.notifier.delivery.OutgoingMail;
import io.casefeed.notifier.testing.Cases;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.NotificationRecord;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlackThreadsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant WINDOW = Instant.parse("2026-11-26T08:00:00Z");
  private static final ChannelTarget BOT = new ChannelTarget("oncall", ChannelKind.SLACK,
      URI.create("https://slack.example/api/chat.postMessage"), "xoxb-token", null, EnumSet.allOf(AlertEvent.Kind.class), "C0123456789");
  private static final CaseDetails CASE = Cases.details("111111111111", "4711", "Payments down", "opened", "urgent",
      Instant.parse("2026-11-26T07:59:00Z"));
  private static final CaseDetails OTHER = Cases.details("111111111111", "4712", "Queue stuck", "opened", "urgent",
      Instant.parse("2026-11-26T07:59:30Z"));

  private static List<ChannelPost> render(AlertEvent... events) {
    return new SlackRenderer(JSON, "https://console.example/{displayId}", ZoneOffset.UTC)
        .render(BOT, "prod", WINDOW, List.of(events), Map.of("111111111111", "prod-payments")::get);
  }

  private static AlertEvent opened(CaseDetails details, String id) {
    return new AlertEvent(id, AlertEvent.Kind.NEW_CASE, "111111111111", WINDOW.plusSeconds(5), CaseSummary.of(details), "opened as urgent");
  }

  private static NotificationRecord.Builder sentRecord(ChannelPost post, String answer) {
    return NotificationRecord.newBuilder().setMailId(post.notificationId()).setKind(OutgoingMail.ALERT)
        .setStage(NotificationLedger.SENT).setRecipientGroup("prod").setRecipient(BOT.ledgerName()).setPeriod(WINDOW.toString())
        .setSubject(post.summary()).setSesMessageId(answer).setError(null).setRecordedAt(WINDOW);
  }

  private static void sent(NotificationLedger ledger, ChannelPost post, String answer, SlackThreads.Placement thread) {
    ledger.apply(post.notificationId(), sentRecord(post, answer).setThreadTs(thread.root()).setThreadKey(thread.key()).build());
  }

  @Test
  void aBotTokenTargetGetsOneMessagePerAlertInItsChannelKeyedByCase() throws Exception {
    List<ChannelPost> posts = render(opened(CASE, "ev-1"), opened(OTHER, "ev-2"));
    assertThat(posts).hasSize(2);
    assertThat(posts).extracting(ChannelPost::orderKey).containsExactly(CASE.getCaseId().toString(), OTHER.getCaseId().toString());
    assertThat(posts.get(0).notificationId()).isEqualTo("alert|2026-11-26T08:00:00Z|prod|slack:oncall|ev-1");
    JsonNode body = JSON.readTree(posts.get(0).body());
    assertThat(body.path("channel").asText()).isEqualTo("C0123456789");
    assertThat(body.toString()).contains("4711").doesNotContain("4712");
  }

  @Test
  void theFirstPostStartsTheThreadAndLaterOnesOnTheCaseReplyInIt() throws Exception {
    SlackThreads threads = new SlackThreads(JSON);
    NotificationLedger ledger = new NotificationLedger();
    ChannelPost first = render(opened(CASE, "ev-1")).get(0);
    ChannelPost unthreaded = threads.threaded(first, ledger);
    assertThat(JSON.readTree(unthreaded.body()).has("thread_ts")).isFalse();
    SlackThreads.Placement started = threads.placement(unthreaded, "ts 1700000000.000001").orElseThrow();
    assertThat(started).isEqualTo(new SlackThreads.Placement("1700000000.000001", CASE.getCaseId().toString()));
    sent(ledger, first, "ts 1700000000.000001", started);

    ChannelPost later = threads.threaded(render(opened(CASE, "ev-3")).get(0), ledger);
    assertThat(JSON.readTree(later.body()).path("thread_ts").asText()).isEqualTo("1700000000.000001");
    SlackThreads.Placement reply = threads.placement(later, "ts 1700000100.000002").orElseThrow();
    assertThat(reply).as("a reply stays in the first message's thread")
        .isEqualTo(new SlackThreads.Placement("1700000000.000001", CASE.getCaseId().toString()));
    sent(ledger, later, "ts 1700000100.000002", reply);
    assertThat(SlackThreads.root(ledger, BOT, CASE.getCaseId().toString())).contains("1700000000.000001");

    ChannelPost other = threads.threaded(render(opened(OTHER, "ev-2")).get(0), ledger);
    assertThat(JSON.readTree(other.body()).has("thread_ts")).as("another case, another thread").isFalse();
  }

  @Test
  void aThreadKeptInTheAnswerByAnOlderLedgerIsStillFound() throws Exception {
    NotificationLedger ledger = new NotificationLedger();
    ChannelPost first = render(opened(CASE, "ev-1")).get(0);
    // Before NotificationRecord had threadTs and threadKey, the answer field carried the thread.
    ledger.apply(first.notificationId(), sentRecord(first, "ts 1700000000.000001 thread 1700000000.000001 key " + CASE.getCaseId())
        .build());

    ChannelPost later = new SlackThreads(JSON).threaded(render(opened(CASE, "ev-3")).get(0), ledger);

    assertThat(JSON.readTree(later.body()).path("thread_ts").asText()).isEqualTo("1700000000.000001");
  }

  @Test
  void aPostWithoutThreadsHasNoPlacement() {
    ChannelTarget webhook = new ChannelTarget("hook", ChannelKind.SLACK, URI.create("https://hooks.example/x"), null, null,
        EnumSet.allOf(AlertEvent.Kind.class));
    ChannelPost post = render(opened(CASE, "ev-1")).get(0);
    ChannelPost viaWebhook = new ChannelPost(post.notificationId(), post.group(), webhook, post.period(), post.summary(),
        post.contentType(), post.body(), post.attributes(), post.orderKey());
    assertThat(new SlackThreads(JSON).placement(viaWebhook, "HTTP 200")).isEmpty();
  }

  @Test
  void anIncomingWebhookHasNoThreads() {
    ChannelTarget webhook = new ChannelTarget("hook", ChannelKind.SLACK, URI.create("https://hooks.example/x"), null, null,
        EnumSet.allOf(AlertEvent.Kind.class));
    assertThat(SlackThreads.threads(webhook)).isFalse();
    assertThat(SlackThreads.threads(BOT)).isTrue();
  }
}
