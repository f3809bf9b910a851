package io.casefeed.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.localcloud.webhook.WebhookReceiver;
import io.casefeed.notifier.testing.Cases;
import io.casefeed.schema.CaseDetails;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The never-twice protocol for channel posts, as {@link NotifierCrashIT} checks it for mail: the
 * notifier in its own JVM posting an alert to a Slack and a webhook target (local-cloud's receiver),
 * SIGKILLed at a step of the first post, then started again. Outside the documented window every
 * post is taken exactly once; inside it (the receiver answered, the sent record not yet durable)
 * that one post is taken twice, under one Idempotency-Key.
 */
class ChannelCrashIT extends NotifierItSupport {

  private static final String SECRET = "whsec-crash-0123456789abcdef";
  private static WebhookReceiver receiver;

  @TempDir
  Path dir;

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

  @ParameterizedTest
  @ValueSource(strings = {"BEFORE_INTENT", "INTENT_WRITTEN", "SES_ACCEPTED", "COMPLETION_WRITTEN"})
  void aKillAtAStepOfAPostLeavesEveryPostOnceAfterTheRestart(String step) throws Exception {
    String prefix = topics("crash-chan");
    String group = "crashchan" + Math.abs(prefix.hashCode() % 10_000);
    String slack = "/" + group + "/slack/services/T0/B0/token";
    String hook = "/" + group + "/hooks/casefeed";
    Map<String, String> properties = baseConfig(prefix, group, List.of());
    properties.remove("notifier.group." + group + ".recipients");
    properties.put("notifier.group." + group + ".channels", "oncall,tickets");
    properties.put("notifier.channels", "oncall,tickets");
    properties.put("notifier.channel.oncall.type", "slack");
    properties.put("notifier.channel.oncall.url", receiver.url(slack));
    properties.put("notifier.channel.tickets.type", "webhook");
    properties.put("notifier.channel.tickets.url", receiver.url(hook));
    properties.put("notifier.channel.tickets.secret", SECRET);
    properties.put("notifier.alert.window.ms", "2000");
    properties.put("notifier.alert.grace.ms", "1000");

    // A first run records where alerts start; it is killed while idle.
    try (NotifierProcess first = NotifierProcess.start(dir, properties, null)) {
      await().atMost(NotifierProcess.startupAllowance()).until(() -> hasCommittedWatermark(prefix + "notifier") || !first.isAlive());
      assertThat(first.isAlive()).as(first.stderr()).isTrue();
      first.kill();
    }

    // While it is down a critical case opens; the next run is killed at the step of the first post (Slack's).
    Instant observed = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    CaseDetails outage = Cases.details("111111111111", "21000000001", "Checkout is down", "opened", "critical", observed);
    change(prefix, Cases.change("CASE_OPENED", null, outage, observed, false));
    String pausedAt;
    try (NotifierProcess second = NotifierProcess.start(dir, properties, step + ":1")) {
      await().atMost(NotifierProcess.startupAllowance()).until(() -> second.pausedMailId().isPresent() || !second.isAlive());
      assertThat(second.pausedMailId()).as(second.stderr()).isPresent();
      pausedAt = second.pausedMailId().orElseThrow();
      second.kill();
    }
    assertThat(pausedAt).endsWith("|" + group + "|slack:oncall");

    try (NotifierProcess third = NotifierProcess.start(dir, properties, null)) {
      await().atMost(NotifierProcess.startupAllowance())
          .until(() -> (receiver.accepted(slack).size() >= 1 && receiver.accepted(hook).size() >= 1) || !third.isAlive());
      assertThat(third.isAlive()).as(third.stderr()).isTrue();
      Thread.sleep(4_000);
    }
    Map<String, Long> slackKeys = keys(slack);
    Map<String, Long> hookKeys = keys(hook);
    assertThat(hookKeys).hasSize(1).containsValue(1L);
    assertThat(slackKeys).containsOnlyKeys(pausedAt);
    // Only a kill between the receiver's 2xx and the sent record repeats the post, under the same key.
    assertThat(slackKeys.get(pausedAt)).isEqualTo(step.equals("SES_ACCEPTED") ? 2L : 1L);
    assertThat(receiver.accepted(slack)).allSatisfy(p -> assertThat(p.bodyText()).contains("21000000001"));
  }

  private static Map<String, Long> keys(String path) {
    return receiver.accepted(path).stream().collect(Collectors.groupingBy(p -> p.header("Idempotency-Key"), Collectors.counting()));
  }

  private static boolean hasCommittedWatermark(String groupId) throws Exception {
    try (Admin admin = KafkaFixture.admin()) {
      return !admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get().isEmpty();
    }
  }
}
