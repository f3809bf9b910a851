package io.casefeed.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.common.time.MutableClock;
import io.casefeed.localcloud.webhook.ReceivedPost;
import io.casefeed.localcloud.webhook.WebhookReceiver;
import io.casefeed.notifier.Notifier;
import io.casefeed.notifier.channel.HttpChannelPoster;
import io.casefeed.notifier.config.NotifierConfig;
import io.casefeed.notifier.delivery.SesClients;
import io.casefeed.notifier.delivery.SesMailSender;
import io.casefeed.notifier.testing.Cases;
import io.casefeed.schema.CaseDetails;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Slack target with a bot token, posting through chat.postMessage on local-cloud's receiver: a
 * case's first alert starts a thread, its escalation replies in it ({@code thread_ts} = the first
 * message's ts), and so does a later escalation after the notifier restarted, the thread having been
 * read back from casefeed.notifications. Another case starts a thread of its own.
 */
class SlackThreadIT extends NotifierItSupport {

  private static final String PROD = "111111111111";
  private static final String TOKEN = "xoxb-it-0000-secret-bot-token";
  private static final Instant DAY = LocalDate.now(ZoneOffset.UTC).minusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static WebhookReceiver receiver;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

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
    return new Notifier(config, clock, registry, new SesMailSender(SesClients.fromConfig(config), null),
        HttpChannelPoster.create(Clock.systemUTC(), config.channelTimeout()), meters, (step, mail) -> { },
        pause -> Thread.sleep(pause.toMillis()));
  }

  private double changesRead() {
    return meters.counter("casefeed.notifier.records.read", "topic", "casefeed.case-changes").count();
  }

  private static JsonNode body(ReceivedPost post) {
    try {
      return JSON.readTree(post.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String ts(ReceivedPost post) {
    // The receiver answers ts = <received second>.<sequence>, as SlackThreads records it from the answer.
    return post.receivedAt().getEpochSecond() + "." + String.format(java.util.Locale.ROOT, "%06d", post.sequence() % 1_000_000);
  }

  @Test
  void laterAlertsOnACaseReplyInTheThreadOfItsFirstAlsoAfterARestart() throws Exception {
    String prefix = topics("slack-thread");
    String group = "thread" + Math.abs(prefix.hashCode() % 10_000);
    String path = "/" + group + "/slack/api/chat.postMessage";
    Map<String, String> p = baseConfig(prefix, group, List.of());
    p.remove("notifier.group." + group + ".recipients");
    p.put("notifier.alert.severity", "high");
    p.put("notifier.channels", "oncall");
    p.put("notifier.group." + group + ".channels", "oncall");
    p.put("notifier.channel.oncall.type", "slack");
    p.put("notifier.channel.oncall.token", TOKEN);
    p.put("notifier.channel.oncall.channel", "C0123456789");
    p.put("notifier.channel.oncall.url", receiver.url(path));
    p.put("notifier.channels.backoff.ms", "50");

    CaseDetails opened = Cases.details(PROD, "18000000001", "Database failover stuck", "opened", "high", at("07:09:40"));
    MutableClock clock = new MutableClock(at("07:09:00"));
    // Every log line of the run, at DEBUG for casefeed and INFO elsewhere: the bot token must be in none.
    Queue<String> lines = new ConcurrentLinkedQueue<>();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    Level rootLevel = root.getLevel();
    Logger casefeed = context.getLogger("io.casefeed");
    Level casefeedLevel = casefeed.getLevel();
    AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        lines.add(event.getLoggerName() + " " + event.getFormattedMessage()
            + (event.getThrowableProxy() == null ? "" : " " + ThrowableProxyUtil.asString(event.getThrowableProxy())));
      }
    };
    capture.setContext(context);
    capture.start();
    root.addAppender(capture);
    root.setLevel(Level.INFO);
    casefeed.setLevel(Level.DEBUG);
    try {
      run(p, opened, clock, path);
    } finally {
      root.detachAppender(capture);
      root.setLevel(rootLevel);
      casefeed.setLevel(casefeedLevel);
    }
    assertThat(lines).as("log lines captured").isNotEmpty();
    assertThat(lines).as("log lines holding the bot token").noneMatch(l -> l.contains(TOKEN) || l.contains("secret-bot"));
  }

  private void run(Map<String, String> p, CaseDetails opened, MutableClock clock, String path) throws Exception {
    String prefix = p.get("topic.prefix");
    try (Notifier notifier = notifier(p, clock)) {
      notifier.start();
      assertThat(notifier.awaitReady(Duration.ofSeconds(60))).isTrue();
      account(prefix, Cases.account(PROD, "prod-payments", at("06:00:00")));
      clock.set(at("07:10:00"));
      caseState(prefix, Cases.state(opened, at("07:10:00"), false, null));
      change(prefix, Cases.change("CASE_OPENED", null, opened, at("07:10:00"), false));
      await().atMost(Duration.ofSeconds(60)).until(() -> changesRead() >= 1);
      clock.set(at("07:11:20"));
      await().atMost(Duration.ofSeconds(60)).until(() -> receiver.accepted(path).size() == 1);

      clock.set(at("07:20:00"));
      CaseDetails urgent = Cases.details(PROD, "18000000001", "Database failover stuck", "opened", "urgent", at("07:09:40"));
      change(prefix, Cases.change("SEVERITY_CHANGED", opened, urgent, at("07:20:00"), false));
      CaseDetails other = Cases.details(PROD, "18000000002", "Lambda throttled", "opened", "high", at("07:19:50"));
      change(prefix, Cases.change("CASE_OPENED", null, other, at("07:20:05"), false));
      await().atMost(Duration.ofSeconds(60)).until(() -> changesRead() >= 3);
      clock.set(at("07:21:20"));
      await().atMost(Duration.ofSeconds(60)).until(() -> receiver.accepted(path).size() == 3);
    }
    // An escalation while the notifier is down; the restarted notifier reads the thread back from the ledger.
    CaseDetails urgent = Cases.details(PROD, "18000000001", "Database failover stuck", "opened", "urgent", at("07:09:40"));
    CaseDetails critical = Cases.details(PROD, "18000000001", "Database failover stuck", "opened", "critical", at("07:09:40"));
    clock.set(at("07:30:00"));
    change(prefix, Cases.change("SEVERITY_CHANGED", urgent, critical, at("07:30:00"), false));
    try (Notifier again = notifier(p, clock)) {
      again.start();
      assertThat(again.awaitReady(Duration.ofSeconds(60))).isTrue();
      clock.set(at("07:31:20"));
      await().atMost(Duration.ofSeconds(60)).until(() -> receiver.accepted(path).size() == 4);
    }

    List<ReceivedPost> posts = receiver.accepted(path);
    assertThat(posts).allSatisfy(post -> {
      assertThat(post.header("Authorization")).isEqualTo("Bearer " + TOKEN);
      assertThat(body(post).path("channel").asText()).isEqualTo("C0123456789");
    });
    JsonNode first = body(posts.get(0));
    assertThat(first.has("thread_ts")).as("the first alert starts the thread").isFalse();
    assertThat(first.toString()).contains("18000000001").contains("prod-payments (111111111111)");
    String root = ts(posts.get(0));
    // The window of 07:20 holds the escalation (a reply) and another case's first alert (a thread of its own).
    List<JsonNode> window2 = List.of(body(posts.get(1)), body(posts.get(2)));
    JsonNode escalation = window2.stream().filter(b -> b.toString().contains("18000000001")).findFirst().orElseThrow();
    JsonNode otherCase = window2.stream().filter(b -> b.toString().contains("18000000002")).findFirst().orElseThrow();
    assertThat(escalation.path("thread_ts").asText()).isEqualTo(root);
    assertThat(otherCase.has("thread_ts")).isFalse();
    JsonNode afterRestart = body(posts.get(3));
    assertThat(afterRestart.toString()).contains("18000000001").contains("critical");
    assertThat(afterRestart.path("thread_ts").asText()).as("a reply in the first thread after the restart").isEqualTo(root);
    // The ledger keeps each post's ts and, in fields of their own, its thread and case; never the token.
    assertThat(notifications(p.get("topic.prefix"))).filteredOn(r -> r.getStage().toString().equals("sent"))
        .allSatisfy(r -> {
          assertThat(r.getSesMessageId().toString()).startsWith("ts ").doesNotContain(TOKEN);
          assertThat(r.getThreadTs()).isNotNull();
          assertThat(r.getThreadKey()).isNotNull();
        })
        .anySatisfy(r -> {
          assertThat(r.getSesMessageId().toString()).isEqualTo("ts " + root);
          assertThat(r.getThreadTs().toString()).isEqualTo(root);
          assertThat(r.getThreadKey().toString()).isEqualTo(opened.getCaseId().toString());
        })
        .filteredOn(r -> r.getThreadKey().toString().equals(opened.getCaseId().toString()))
        .as("every post about the case is in the first one's thread").allSatisfy(r -> assertThat(r.getThreadTs().toString()).isEqualTo(root));
  }
}
