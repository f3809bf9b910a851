package io.casefeed.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.casefeed.common.time.MutableClock;
import io.casefeed.notifier.Notifier;
import io.casefeed.notifier.config.NotifierConfig;
import io.casefeed.notifier.delivery.SesClients;
import io.casefeed.notifier.delivery.SesMailSender;
import io.casefeed.notifier.resend.FailedMail;
import io.casefeed.notifier.resend.FailedMailCodec;
import io.casefeed.notifier.testing.Cases;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.NotificationRecord;
import io.casefeed.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A mail that SES failed after every retry is kept and sent again, against local-cloud's SES on the
 * real broker: at the next start of another notifier, the very message, once; and when the resends
 * are used up, it waits until an operator gives up on it (a tombstone on casefeed.notifier-resends,
 * as {@code casefeed notifications give-up} writes), which the ledger then records.
 */
class MailResendIT extends NotifierItSupport {

  private static final String ACCOUNT = "555555555555";
  private static final Instant DAY = LocalDate.now(ZoneOffset.UTC).minusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private static Instant at(String time) {
    return DAY.plus(Duration.between(java.time.LocalTime.MIDNIGHT, java.time.LocalTime.parse(time)));
  }

  private Notifier notifier(NotifierConfig config, MutableClock clock) {
    return new Notifier(config, clock, registry, new SesMailSender(SesClients.fromConfig(config), null), meters, (step, mail) -> { },
        d -> Thread.sleep(d.toMillis()));
  }

  /** The latest ledger record of the alert to {@code recipient} about {@code caseId}'s window. */
  private static Map<String, NotificationRecord> latestByMail(String prefix, String recipient) {
    Map<String, NotificationRecord> latest = new HashMap<>();
    notifications(prefix).stream().filter(r -> r.getRecipient().toString().equals(recipient))
        .forEach(r -> latest.put(r.getMailId().toString(), r));
    return latest;
  }

  /** The latest value per mail id of casefeed.notifier-resends; null for a tombstone. */
  private static Map<String, FailedMail> kept(String prefix) {
    Map<String, FailedMail> latest = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : readAll(prefix + Notifier.RESENDS.name())) {
      latest.put(new String(record.key(), StandardCharsets.UTF_8), record.value() == null ? null : FailedMailCodec.decode(record.value()));
    }
    return latest;
  }

  private static void opened(String prefix, String caseId, String subject, Instant at) {
    CaseDetails details = Cases.details(ACCOUNT, caseId, subject, "opened", "urgent", at.minusSeconds(20));
    change(prefix, Cases.change("CASE_OPENED", null, details, at, false));
  }

  @Test
  void aFailedMailIsResentAtTheNextStartOnceAndOneWhoseResendsAreUsedUpWaitsForAnOperator() throws Exception {
    String prefix = topics("resend");
    String group = "resend" + Math.abs(prefix.hashCode() % 10_000);
    String recipient = group + ".erin@example.com";
    Map<String, String> properties = baseConfig(prefix, group, List.of(recipient));
    properties.put("notifier.ses.max.attempts", "2");
    properties.put("notifier.resend.max", "2");
    properties.put("notifier.resend.interval.ms", "600000");
    NotifierConfig config = NotifierConfig.load(null, Map.of(), properties);
    account(prefix, Cases.account(ACCOUNT, "prod-billing", at("09:00:00")));
    sweep(prefix, Cases.sweep(ACCOUNT, "ok", null, at("09:59:00")));
    MutableClock clock = new MutableClock(at("10:00:00"));

    String failedId;
    try (Notifier first = notifier(config, clock)) {
      first.start();
      assertThat(first.awaitReady(Duration.ofSeconds(60))).isTrue();
      cloud.simulation().faults().serverErrorRate(1.0);
      try {
        clock.set(at("10:05:00"));
        opened(prefix, "18000000021", "Invoices not generated", at("10:05:00"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
          clock.advance(Duration.ofSeconds(10));
          return latestByMail(prefix, recipient).values().stream().anyMatch(r -> r.getStage().toString().equals("failed"));
        });
      } finally {
        cloud.simulation().faults().clear();
      }
      failedId = latestByMail(prefix, recipient).keySet().iterator().next();
      FailedMail kept = kept(prefix).get(failedId);
      assertThat(kept).as("kept for a resend").isNotNull();
      assertThat(kept.failures()).isEqualTo(1);
      assertThat(io.casefeed.notifier.testing.ParsedMail.parse(kept.raw()).text).contains("Invoices not generated");
    }
    assertThat(outboxTo(List.of(recipient))).as("SES took nothing while failing").isEmpty();

    // Another notifier starts, SES answers again: the kept mail goes out at once, before its time.
    try (Notifier second = notifier(config, clock)) {
      second.start();
      assertThat(second.awaitReady(Duration.ofSeconds(60))).isTrue();
      await().atMost(Duration.ofSeconds(30)).until(() -> outboxTo(List.of(recipient)).size() == 1);
      assertThat(mailsTo(List.of(recipient)).get(0).text).contains("Invoices not generated");
      assertThat(mailId(mailsTo(List.of(recipient)).get(0))).isEqualTo(failedId);
      await().atMost(Duration.ofSeconds(30)).until(() -> kept(prefix).containsKey(failedId) && kept(prefix).get(failedId) == null);
      assertThat(latestByMail(prefix, recipient).get(failedId).getStage().toString()).isEqualTo("sent");

      // A second alert fails, and so do both of its resends: it waits for an operator.
      cloud.simulation().faults().serverErrorRate(1.0);
      try {
        clock.set(at("10:20:00"));
        opened(prefix, "18000000022", "Payments API returns 500", at("10:20:00"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
          clock.advance(Duration.ofMinutes(1));
          Map<String, FailedMail> now = kept(prefix);
          return now.values().stream().anyMatch(m -> m != null && m.exhausted());
        });
      } finally {
        cloud.simulation().faults().clear();
      }
      FailedMail waiting = kept(prefix).values().stream().filter(m -> m != null && m.exhausted()).findFirst().orElseThrow();
      assertThat(waiting.failures()).as("the first send and two resends").isEqualTo(3);
      assertThat(latestByMail(prefix, recipient).get(waiting.mailId()).getError().toString()).startsWith("resend 2 of 2 failed");
      clock.advance(Duration.ofHours(1));
      Thread.sleep(1000);
      assertThat(outboxTo(List.of(recipient))).as("no resend left, nothing sent").hasSize(1);

      // The next digest reports it, with what to run once it is seen to.
      clock.set(DAY.plus(Duration.ofDays(1)).plus(Duration.ofHours(8)).plusSeconds(5));
      await().atMost(Duration.ofSeconds(30)).until(() -> mailsTo(List.of(recipient)).stream().anyMatch(m -> mailId(m).startsWith("digest|")));
      io.casefeed.notifier.testing.ParsedMail digest = mailsTo(List.of(recipient)).stream().filter(m -> mailId(m).startsWith("digest|"))
          .findFirst().orElseThrow();
      assertThat(digest.subject()).contains("1 not delivered");
      assertThat(digest.text).contains("no resend left").contains("casefeed notifications give-up --mail-id '" + waiting.mailId() + "'");

      // The operator gives up on it.
      producer.send(new ProducerRecord<>(prefix + Notifier.RESENDS.name(), waiting.mailId().getBytes(StandardCharsets.UTF_8), null))
          .get(30, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        NotificationRecord record = latestByMail(prefix, recipient).get(waiting.mailId());
        assertThat(record.getStage().toString()).isEqualTo("given-up");
        assertThat(record.getError().toString()).contains("given up by an operator");
      });
      clock.advance(Duration.ofHours(1));
      Thread.sleep(1000);
      assertThat(outboxTo(List.of(recipient))).as("the resent alert and the digest, nothing more").hasSize(2);
      assertThat(second.failure()).isNull();
      assertThat(deadLetters(prefix)).isEmpty();
    }
    assertThat(readAll(prefix + Topics.NOTIFICATIONS.name())).isNotEmpty();
  }
}
