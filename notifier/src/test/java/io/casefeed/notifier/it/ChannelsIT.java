package io.casefeed.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.common.time.MutableClock;
import io.casefeed.localcloud.webhook.ReceivedPost;
import io.casefeed.localcloud.webhook.ReceiverFault;
import io.casefeed.localcloud.webhook.WebhookReceiver;
import io.casefeed.notifier.Notifier;
import io.casefeed.notifier.channel.HttpChannelPoster;
import io.casefeed.notifier.config.NotifierConfig;
import io.casefeed.notifier.delivery.SesClients;
import io.casefeed.notifier.delivery.SesMailSender;
import io.casefeed.notifier.testing.Cases;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.NotificationRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real notifier on the embedded broker posting alerts to local-cloud's webhook receiver as
 * Slack, Teams and a signed generic webhook: the content each expects, 429 (with Retry-After) and
 * 5xx retried until the post is taken once, a 4xx reported and not retried, the signature checked
 * by a Python script casefeed's Java did not write, and nothing posted again after a restart.
 */
class ChannelsIT extends NotifierItSupport {

  private static final String PROD = "111111111111";
  private static final String DEV = "222222222222";
  private static final String SECRET = "whsec-it-0123456789abcdef";
  /** Two days ago: the broker refuses timestamps more than an hour ahead, so the day is in the past. */
  private static final Instant DAY = LocalDate.now(ZoneOffset.UTC).minusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static WebhookReceiver receiver;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  /** Every pause the notifier asked for, then really waited. */
  private final List<Duration> pauses = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startReceiver() {
    receiver = WebhookReceiver.start();
  }

  @AfterAll
  static void stopReceiver() {
    if (receiver != null) {
      receiver.close();
    }
  }

  private static Instant at(String time) {
    return DAY.plus(Duration.between(LocalTime.MIDNIGHT, LocalTime.parse(time)));
  }

  private Notifier notifier(Map<String, String> properties, MutableClock clock) {
    NotifierConfig config = NotifierConfig.load(null, Map.of(), properties);
    // The wire carries real time (the signature's t is checked for freshness); the notifier's schedule runs on the test's clock.
    return new Notifier(config, clock, registry, new SesMailSender(SesClients.fromConfig(config), null),
        HttpChannelPoster.create(Clock.systemUTC(), config.channelTimeout()), meters, (step, mail) -> { }, pause -> {
          pauses.add(pause);
          Thread.sleep(pause.toMillis());
        });
  }

  private Map<String, String> channels(String prefix, String group, List<String> recipients, String base) {
    Map<String, String> p = baseConfig(prefix, group, recipients);
    p.put("notifier.channels", "oncall,teams,tickets");
    p.put("notifier.group." + group + ".channels", "oncall,teams,tickets");
    p.put("notifier.channel.oncall.type", "slack");
    p.put("notifier.channel.oncall.url", receiver.url(base + "/slack/services/T0/B0/token"));
    p.put("notifier.channel.teams.type", "teams");
    p.put("notifier.channel.teams.url", receiver.url(base + "/teams/workflows/abc/triggers/manual/paths/invoke"));
    p.put("notifier.channel.tickets.type", "webhook");
    p.put("notifier.channel.tickets.url", receiver.url(base + "/hooks/casefeed"));
    p.put("notifier.channel.tickets.secret", SECRET);
    p.put("notifier.channels.backoff.ms", "50");
    return p;
  }

  /** Plays the collector and streams app: an urgent case and a low one open at 07:10. */
  private static CaseDetails openCases(String prefix) {
    account(prefix, Cases.account(PROD, "prod-payments", at("06:00:00")));
    account(prefix, Cases.account(DEV, "dev-sandbox", at("06:00:00")));
    CaseDetails outage = Cases.details(PROD, "17000000001", "Payments API returns 503", "opened", "urgent", at("07:09:40"));
    caseState(prefix, Cases.state(outage, at("07:10:00"), false, null));
    change(prefix, Cases.change("CASE_OPENED", null, outage, at("07:10:00"), false));
    CaseDetails question = Cases.details(DEV, "17000000002", "How to tag snapshots", "opened", "low", at("07:10:10"));
    change(prefix, Cases.change("CASE_OPENED", null, question, at("07:10:30"), false));
    return outage;
  }

  private void awaitRead(String topic, int total) {
    await().atMost(Duration.ofSeconds(60))
        .until(() -> meters.counter("casefeed.notifier.records.read", "topic", topic).count() >= total);
  }

  @Test
  void eachChannelGetsTheAlertOnceAfterThrottlingAndServerErrors() throws Exception {
    String prefix = topics("channels");
    String group = "chan" + Math.abs(prefix.hashCode() % 10_000);
    String base = "/" + group;
    List<String> recipients = List.of(group + ".oncall@example.com");
    String slack = base + "/slack/services/T0/B0/token";
    String teams = base + "/teams/workflows/abc/triggers/manual/paths/invoke";
    String hook = base + "/hooks/casefeed";
    receiver.failNext(slack, 2, ReceiverFault.throttled(1));
    receiver.failNext(teams, 1, ReceiverFault.status(503));
    receiver.failNext(hook, 1, ReceiverFault.status(500));
    receiver.failNext(hook, 1, ReceiverFault.throttled(1));
    MutableClock clock = new MutableClock(at("07:09:00"));
    Map<String, String> properties = channels(prefix, group, recipients, base);
    CaseDetails outage;
    try (Notifier notifier = notifier(properties, clock)) {
      notifier.start();
      assertThat(notifier.awaitReady(Duration.ofSeconds(60))).isTrue();
      clock.set(at("07:10:00"));
      outage = openCases(prefix);
      awaitRead("casefeed.case-changes", 2);
      awaitRead("casefeed.accounts", 2);
      clock.set(at("07:11:20"));
      await().atMost(Duration.ofSeconds(60)).until(() -> receiver.accepted(slack).size() == 1
          && receiver.accepted(teams).size() == 1 && receiver.accepted(hook).size() == 1 && mailsTo(recipients).size() == 1);
    }
    // Throttled twice, then taken; 503 once; 500 and 429 once each: every attempt seen, each post taken once.
    assertThat(receiver.posts(slack)).extracting(ReceivedPost::status).containsExactly(429, 429, 200);
    assertThat(receiver.posts(teams)).extracting(ReceivedPost::status).containsExactly(503, 200);
    assertThat(receiver.posts(hook)).extracting(ReceivedPost::status).containsExactly(500, 429, 200);
    // Retry-After: 1 was honoured: three throttled answers, at least a second of pause each.
    assertThat(pauses.stream().reduce(Duration.ZERO, Duration::plus)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    for (String path : List.of(slack, teams, hook)) {
      List<ReceivedPost> attempts = receiver.posts(path);
      assertThat(attempts).extracting(p -> p.header("Idempotency-Key")).containsOnly(attempts.get(0).header("Idempotency-Key"));
      assertThat(attempts).extracting(ReceivedPost::bodyText).containsOnly(attempts.get(0).bodyText());
    }

    JsonNode slackMessage = JSON.readTree(receiver.accepted(slack).get(0).body());
    assertThat(slackMessage.path("text").asText()).isEqualTo("[casefeed] " + group + ": 1 new case");
    assertThat(slackMessage.path("blocks").get(0).path("type").asText()).isEqualTo("header");
    String section = slackMessage.path("blocks").get(1).path("text").path("text").asText();
    assertThat(section).contains("|17000000001>").contains("Payments API returns 503").contains("prod-payments (111111111111)")
        .contains("*urgent*").doesNotContain("17000000002");
    assertThat(receiver.accepted(slack).get(0).header("Idempotency-Key"))
        .isEqualTo("alert|" + at("07:10:00") + "|" + group + "|slack:oncall");

    JsonNode teamsMessage = JSON.readTree(receiver.accepted(teams).get(0).body());
    assertThat(teamsMessage.path("type").asText()).isEqualTo("message");
    JsonNode attachment = teamsMessage.path("attachments").get(0);
    assertThat(attachment.path("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
    assertThat(attachment.path("content").path("type").asText()).isEqualTo("AdaptiveCard");
    assertThat(attachment.path("content").toString()).contains("Payments API returns 503").contains("prod-payments (111111111111)")
        .contains("displayId=17000000001");
    assertThat(receiver.accepted(teams).get(0).header("X-Casefeed-Signature")).isNull();

    ReceivedPost signed = receiver.accepted(hook).get(0);
    assertThat(signed.header("Content-Type")).startsWith("application/cloudevents+json");
    JsonNode event = JSON.readTree(signed.body());
    assertThat(event.path("specversion").asText()).isEqualTo("1.0");
    assertThat(event.path("type").asText()).isEqualTo("io.casefeed.case.opened");
    assertThat(event.path("id").asText()).isEqualTo(signed.header("Idempotency-Key"))
        .isEqualTo("alert|" + at("07:10:00") + "|" + group + "|webhook:tickets|" + outage.getCaseId() + ":CASE_OPENED:"
            + at("07:10:00").toEpochMilli());
    assertThat(Instant.parse(event.path("time").asText())).isEqualTo(at("07:10:00"));
    assertThat(event.path("time").asText()).endsWith("Z");
    assertThat(event.path("data").path("account").path("name").asText()).isEqualTo("prod-payments");
    assertThat(event.path("data").path("case").path("displayId").asText()).isEqualTo("17000000001");
    assertThat(event.path("data").path("case").path("severity").asText()).isEqualTo("urgent");
    assertThat(event.path("data").path("case").path("consoleLink").asText()).endsWith("displayId=17000000001");
    assertThat(pythonVerifies(SECRET, signed)).isEqualTo("valid");
    assertThat(pythonVerifies("not-the-secret-0123456789", signed)).startsWith("INVALID");
    // The Java example of the docs, run as a single-file program by the JDK that runs this test.
    assertThat(javaVerifies(SECRET, signed)).isEqualTo("valid");
    assertThat(javaVerifies("not-the-secret-0123456789", signed)).isEqualTo("INVALID: signature does not match");

    // The ledger holds each post as intended, then sent, once.
    List<NotificationRecord> records = notifications(prefix).stream().filter(r -> !r.getRecipient().contains("@")).toList();
    Map<String, List<String>> stages = records.stream().collect(Collectors.groupingBy(r -> r.getRecipient().toString(),
        Collectors.mapping(r -> r.getStage().toString(), Collectors.toList())));
    assertThat(stages).containsOnlyKeys("slack:oncall", "teams:teams", "webhook:tickets");
    stages.values().forEach(s -> assertThat(s).containsExactly("intended", "sent"));

    // A restart reads the ledger and posts nothing again.
    int before = receiver.posts().size();
    try (Notifier again = notifier(properties, clock)) {
      again.start();
      assertThat(again.awaitReady(Duration.ofSeconds(60))).isTrue();
      clock.set(at("07:12:30"));
      Thread.sleep(1_500);
    }
    assertThat(receiver.posts()).hasSize(before);
    assertThat(mailsTo(recipients)).hasSize(1);
  }

  @Test
  void aRevokedWebhookIsReportedNotRetriedAndHoldsUpNoOtherChannel() throws Exception {
    String prefix = topics("revoked");
    String group = "revk" + Math.abs(prefix.hashCode() % 10_000);
    String base = "/" + group;
    List<String> recipients = List.of(group + ".oncall@example.com");
    String slack = base + "/slack/services/T0/B0/token";
    String teams = base + "/teams/workflows/abc/triggers/manual/paths/invoke";
    String hook = base + "/hooks/casefeed";
    receiver.failAlways(slack, ReceiverFault.status(404));
    Map<String, String> properties = channels(prefix, group, recipients, base);
    // Teams takes only critical cases: the urgent one is not for it.
    properties.put("notifier.channel.teams.min.severity", "critical");
    MutableClock clock = new MutableClock(at("07:09:00"));
    try (Notifier notifier = notifier(properties, clock)) {
      notifier.start();
      assertThat(notifier.awaitReady(Duration.ofSeconds(60))).isTrue();
      clock.set(at("07:10:00"));
      openCases(prefix);
      awaitRead("casefeed.case-changes", 2);
      awaitRead("casefeed.accounts", 2);
      clock.set(at("07:11:20"));
      await().atMost(Duration.ofSeconds(60)).until(() -> receiver.accepted(hook).size() == 1 && mailsTo(recipients).size() == 1
          && notifications(prefix).stream().anyMatch(r -> r.getRecipient().toString().equals("slack:oncall")
              && r.getStage().toString().equals("rejected")));
    } finally {
      receiver.clearFaults();
    }
    assertThat(receiver.posts(slack)).extracting(ReceivedPost::status).containsExactly(404);
    assertThat(receiver.posts(teams)).isEmpty();
    NotificationRecord rejected = notifications(prefix).stream()
        .filter(r -> r.getRecipient().toString().equals("slack:oncall")).reduce((a, b) -> b).orElseThrow();
    assertThat(rejected.getError().toString()).contains("HTTP 404").contains("no_service").doesNotContain("/token");
    assertThat(meters.counter("casefeed.notifier.channel.posts", "channel", "slack", "outcome", "rejected").count()).isEqualTo(1.0);
    assertThat(meters.counter("casefeed.notifier.channel.posts", "channel", "webhook", "outcome", "sent").count()).isEqualTo(1.0);
  }

  /** Runs docs/examples/VerifyWebhookSignature.java with the post's header and body; its output. */
  private static String javaVerifies(String secret, ReceivedPost post) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(java,
        Path.of("../docs/examples/VerifyWebhookSignature.java").toAbsolutePath().toString(), "--max-age", "600",
        post.header("X-Casefeed-Signature")).redirectErrorStream(true);
    builder.environment().put("WEBHOOK_SECRET", secret);
    Process program = builder.start();
    program.getOutputStream().write(post.body());
    program.getOutputStream().close();
    String output = new String(program.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(program.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return output;
  }

  /** Runs docs/examples/verify_webhook_signature.py with the post's header and body; its first output line. */
  private static String pythonVerifies(String secret, ReceivedPost post) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3",
        Path.of("../docs/examples/verify_webhook_signature.py").toAbsolutePath().toString(), "--max-age", "600",
        post.header("X-Casefeed-Signature")).redirectErrorStream(true);
    builder.environment().put("WEBHOOK_SECRET", secret);
    Process python = builder.start();
    python.getOutputStream().write(post.body());
    python.getOutputStream().close();
    String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return output;
  }
}
