package io.casefeed.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.notifier.delivery.MailIds;
import io.casefeed.notifier.testing.Cases;
import io.casefeed.notifier.testing.ParsedMail;
import io.casefeed.schema.CaseDetails;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The notifier in its own JVM, SIGKILLed at each step of the protocol outside the documented window
 * (SES accepted, completion not yet written), then started again: every mail arrives exactly once.
 */
class NotifierCrashIT extends NotifierItSupport {

  @TempDir
  Path dir;

  /**
   * Two recipients; the kill comes at the given step of one of the digest's two mails
   * (BEFORE_INTENT and INTENT_WRITTEN: the second mail's; COMPLETION_WRITTEN: the first's).
   */
  @ParameterizedTest
  @ValueSource(strings = {"BEFORE_INTENT:2", "INTENT_WRITTEN:2", "COMPLETION_WRITTEN:1"})
  void aDigestKilledAtAStepIsSentExactlyOnceAfterTheRestart(String pauseAt) throws Exception {
    String prefix = topics("crash-digest");
    String group = "crash" + Math.abs(prefix.hashCode() % 10_000);
    List<String> recipients = List.of(group + ".a@example.com", group + ".b@example.com");
    Map<String, String> properties = baseConfig(prefix, group, recipients);
    properties.put("notifier.digest.schedule", "every 1h");
    properties.put("notifier.digest.on.first.start", "true");
    sweep(prefix, Cases.sweep("111111111111", "ok", null, Instant.now()));

    String pausedAt;
    try (NotifierProcess first = NotifierProcess.start(dir, properties, pauseAt)) {
      await().atMost(NotifierProcess.startupAllowance()).until(() -> first.pausedMailId().isPresent() || !first.isAlive());
      assertThat(first.pausedMailId()).as(first.stderr()).isPresent();
      pausedAt = first.pausedMailId().orElseThrow();
      first.kill();
    }
    String period = pausedAt.split("\\|")[1];
    List<String> expected = recipients.stream().map(r -> "digest|" + period + "|" + group + "|" + r).toList();
    // In each case the first recipient's mail went out before the kill, the second's did not.
    assertThat(mailIds(recipients)).containsOnlyKeys(expected.get(0));

    try (NotifierProcess second = NotifierProcess.start(dir, properties, null)) {
      await().atMost(NotifierProcess.startupAllowance())
          .until(() -> mailIds(recipients).keySet().containsAll(expected) || !second.isAlive());
      assertThat(second.isAlive()).as(second.stderr()).isTrue();
      Thread.sleep(3_000);
    }
    Map<String, Long> counts = mailIds(recipients);
    assertThat(counts).containsKeys(expected.toArray(String[]::new));
    assertThat(counts.values()).as("every mail exactly once: %s", counts).allMatch(n -> n == 1);
  }

  /**
   * The one window the protocol leaves (docs/notifier.md): killed after SES accepted a mail and
   * before its completion record, the restart sends that mail again, once, under the same mail id
   * (header and tag), so the duplicate is recognisable; the other recipient still gets exactly one.
   */
  @Test
  void aKillInsideTheDocumentedWindowRepeatsThatOneMailUnderTheSameId() throws Exception {
    String prefix = topics("crash-window");
    String group = "window" + Math.abs(prefix.hashCode() % 10_000);
    List<String> recipients = List.of(group + ".a@example.com", group + ".b@example.com");
    Map<String, String> properties = baseConfig(prefix, group, recipients);
    properties.put("notifier.digest.schedule", "every 1h");
    properties.put("notifier.digest.on.first.start", "true");
    String pausedAt;
    try (NotifierProcess first = NotifierProcess.start(dir, properties, "SES_ACCEPTED:1")) {
      await().atMost(NotifierProcess.startupAllowance()).until(() -> first.pausedMailId().isPresent() || !first.isAlive());
      assertThat(first.pausedMailId()).as(first.stderr()).isPresent();
      pausedAt = first.pausedMailId().orElseThrow();
      first.kill();
    }
    String period = pausedAt.split("\\|")[1];
    String second = "digest|" + period + "|" + group + "|" + recipients.get(1);
    try (NotifierProcess restarted = NotifierProcess.start(dir, properties, null)) {
      await().atMost(NotifierProcess.startupAllowance()).until(() -> mailIds(recipients).containsKey(second) || !restarted.isAlive());
      assertThat(restarted.isAlive()).as(restarted.stderr()).isTrue();
      Thread.sleep(3_000);
    }
    assertThat(mailIds(recipients)).containsEntry(pausedAt, 2L).containsEntry(second, 1L);
    assertThat(outboxTo(List.of(recipients.get(0))).stream()
        .filter(m -> pausedAt.equals(mailId(ParsedMail.parse(m.rawMime())))).map(m -> m.tags().get("casefeed-mail-id")))
        .containsExactly(MailIds.tagValue(pausedAt), MailIds.tagValue(pausedAt));
  }

  @Test
  void anAlertKilledAfterItsIntentIsSentExactlyOnceIncludingChangesMadeWhileDown() throws Exception {
    String prefix = topics("crash-alert");
    String group = "crashalert" + Math.abs(prefix.hashCode() % 10_000);
    List<String> recipients = List.of(group + ".a@example.com", group + ".b@example.com");
    Map<String, String> properties = baseConfig(prefix, group, recipients);
    properties.put("notifier.alert.window.ms", "2000");
    properties.put("notifier.alert.grace.ms", "1000");

    // A first run records where alerts start; it is killed while idle.
    try (NotifierProcess first = NotifierProcess.start(dir, properties, null)) {
      await().atMost(NotifierProcess.startupAllowance()).until(() -> hasCommittedWatermark(prefix + "notifier") || !first.isAlive());
      assertThat(first.isAlive()).as(first.stderr()).isTrue();
      first.kill();
    }

    // While it is down a critical case opens; the next run is killed once the alert's intent is durable.
    Instant observed = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    CaseDetails outage = Cases.details("111111111111", "20000000001", "Checkout is down", "opened", "critical", observed);
    change(prefix, Cases.change("CASE_OPENED", null, outage, observed, false));
    try (NotifierProcess second = NotifierProcess.start(dir, properties, "INTENT_WRITTEN:1")) {
      await().atMost(NotifierProcess.startupAllowance()).until(() -> second.pausedMailId().isPresent() || !second.isAlive());
      assertThat(second.pausedMailId()).as(second.stderr()).isPresent();
      second.kill();
    }
    assertThat(mailsTo(recipients)).isEmpty();

    try (NotifierProcess third = NotifierProcess.start(dir, properties, null)) {
      await().atMost(NotifierProcess.startupAllowance()).until(() -> mailsTo(recipients).size() >= 2 || !third.isAlive());
      assertThat(third.isAlive()).as(third.stderr()).isTrue();
      Thread.sleep(4_000);
    }
    List<ParsedMail> mails = mailsTo(recipients);
    assertThat(mails).hasSize(2);
    assertThat(mails.stream().map(m -> m.header("To")).toList()).containsExactlyInAnyOrderElementsOf(recipients);
    assertThat(mails).allSatisfy(m -> assertThat(m.text).contains("20000000001").contains("Checkout is down"));
  }

  private static Map<String, Long> mailIds(List<String> recipients) {
    return mailsTo(recipients).stream().collect(Collectors.groupingBy(NotifierItSupport::mailId, Collectors.counting()));
  }

  private static boolean hasCommittedWatermark(String groupId) throws Exception {
    try (Admin admin = KafkaFixture.admin()) {
      return !admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get().isEmpty();
    }
  }

}
