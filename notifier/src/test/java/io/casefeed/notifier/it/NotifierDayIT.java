package io.casefeed.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.casefeed.notifier.Notifier;
import io.casefeed.notifier.config.NotifierConfig;
import io.casefeed.notifier.delivery.SesClients;
import io.casefeed.notifier.delivery.SesMailSender;
import io.casefeed.notifier.testing.Cases;
import io.casefeed.common.time.MutableClock;
import io.casefeed.notifier.testing.ParsedMail;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.NotificationRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * A scripted day played through the real broker and local-cloud's SES, with the notifier in this
 * JVM on a clock the test moves: the expected alerts and digest, and nothing else.
 */
class NotifierDayIT extends NotifierItSupport {

  private static final String PROD = "111111111111";
  private static final String DEV = "222222222222";
  private static final String LOCKED = "333333333333";
  /** Two days ago: the broker refuses timestamps more than an hour ahead, so the day is in the past. */
  private static final Instant DAY = LocalDate.now(ZoneOffset.UTC).minusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();

  private static Instant at(String time) {
    return DAY.plus(Duration.between(java.time.LocalTime.MIDNIGHT, java.time.LocalTime.parse(time)));
  }

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private Notifier notifier(Map<String, String> properties, MutableClock clock) {
    NotifierConfig config = NotifierConfig.load(null, Map.of(), properties);
    SesV2Client ses = SesClients.fromConfig(config);
    return new Notifier(config, clock, registry, new SesMailSender(ses, null), meters,
        (step, mail) -> { }, d -> Thread.sleep(d.toMillis()));
  }

  /**
   * Waits until the notifier has read {@code total} records of {@code topic} since it started, so
   * that moving the clock past a window's end never races the records meant for that window.
   */
  private void awaitRead(String topic, int total) {
    await().atMost(Duration.ofSeconds(60))
        .until(() -> meters.counter("casefeed.notifier.records.read", "topic", topic).count() >= total);
  }

  @Test
  void aScriptedDayGivesExactlyTheExpectedAlertsAndDigest() throws Exception {
    String prefix = topics("day");
    String group = "ops" + Math.abs(prefix.hashCode() % 10_000);
    List<String> recipients = List.of(group + ".alice@example.com", group + ".bob@example.com");
    MutableClock clock = new MutableClock(at("06:59:00"));
    Map<String, CaseState> snapshot = new TreeMap<>();

    account(prefix, Cases.account(PROD, "prod-payments", at("06:00:00")));
    account(prefix, Cases.account(DEV, "dev-sandbox", at("06:00:00")));
    account(prefix, Cases.account(LOCKED, "legacy-billing", at("06:00:00")));
    for (String id : List.of(PROD, DEV, LOCKED)) {
      sweep(prefix, Cases.sweep(id, "ok", null, at("06:58:00")));
    }
    // The first reading: 500 historic cases, some critical and some long waiting on the customer: history, never alerts.
    List<CaseDetails> history = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      String status = i % 7 == 0 ? "pending-customer-action" : i % 3 == 0 ? "resolved" : "opened";
      String severity = i % 10 == 0 ? "critical" : "normal";
      CaseDetails d = Cases.details(i % 2 == 0 ? PROD : DEV, String.valueOf(90_000 + i), "Historic case " + i, status, severity,
          at("00:00:00").minus(Duration.ofDays(1 + i % 200)));
      history.add(d);
      Instant waitingSince = status.startsWith("pending") ? at("00:00:00").minus(Duration.ofDays(20)) : null;
      put(prefix, snapshot, Cases.state(d, at("06:58:30"), true, waitingSince));
      change(prefix, Cases.change("CASE_OPENED", null, d, at("06:58:30"), true));
    }

    Map<String, String> properties = baseConfig(prefix, group, recipients);
    properties.put("notifier.alert.waiting.on.customer.ms", Long.toString(Duration.ofMinutes(20).toMillis()));
    try (Notifier notifier = notifier(properties, clock)) {
      notifier.start();
      assertThat(notifier.awaitReady(Duration.ofSeconds(60))).isTrue();

      // 07:10 an urgent case opens, 07:10:30 a low one: one alert (the urgent one) after the window.
      clock.set(at("07:10:00"));
      CaseDetails outage = Cases.details(PROD, "17000000001", "Payments API returns 503", "opened", "urgent", at("07:09:40"));
      put(prefix, snapshot, Cases.state(outage, at("07:10:00"), false, null));
      change(prefix, Cases.change("CASE_OPENED", null, outage, at("07:10:00"), false));
      CaseDetails question = Cases.details(DEV, "17000000002", "How to tag snapshots", "opened", "low", at("07:10:10"));
      put(prefix, snapshot, Cases.state(question, at("07:10:30"), false, null));
      change(prefix, Cases.change("CASE_OPENED", null, question, at("07:10:30"), false));
      // A new case that goes on waiting on the customer: past the 20-minute threshold at 07:30:30.
      CaseDetails logs = Cases.details(DEV, "17000000003", "Need VPC flow logs", "pending-customer-action", "normal", at("07:08:00"));
      put(prefix, snapshot, Cases.state(logs, at("07:08:00"), false, at("07:10:30")));
      awaitRead("casefeed.case-changes", 502);
      awaitRead("casefeed.cases", 503);
      clock.set(at("07:11:20"));
      await().atMost(Duration.ofSeconds(60)).until(() -> mailsTo(recipients).size() == 2);
      for (ParsedMail alert : mailsTo(recipients)) {
        assertThat(alert.subject()).isEqualTo("[casefeed] " + group + " alert: 1 new case");
        assertThat(alert.html).contains("17000000001").contains("Payments API returns 503").doesNotContain("17000000002");
        assertThat(alert.text).contains("prod-payments (111111111111), opened as urgent");
        assertThat(mailId(alert)).startsWith("alert|" + at("07:10:00") + "|" + group + "|");
      }

      // 07:30 a historic case escalates to critical and an account denies access: one alert with both.
      clock.set(at("07:30:00"));
      CaseDetails before = history.get(1);
      CaseDetails escalated = Cases.withSeverity(before, "critical");
      put(prefix, snapshot, Cases.state(escalated, at("06:58:30"), true, null));
      change(prefix, Cases.change("SEVERITY_CHANGED", before, escalated, at("07:30:05"), false));
      sweep(prefix, Cases.sweep(LOCKED, "access-denied", "AssumeRole denied for GetSupportInfoRole", at("07:30:10")));
      awaitRead("casefeed.case-changes", 503);
      awaitRead("casefeed.sweeps", 4);
      clock.set(at("07:31:20"));
      await().atMost(Duration.ofSeconds(60)).until(() -> mailsTo(recipients).size() == 4);
      List<ParsedMail> second = mailsTo(recipients).stream().filter(m -> mailId(m).contains(at("07:30:00").toString())).toList();
      assertThat(second).hasSize(2).allSatisfy(m -> {
        assertThat(m.subject()).isEqualTo("[casefeed] " + group + " alert: 1 escalated, 1 waiting on you, 1 account unreadable");
        assertThat(m.text).contains(before.getDisplayId() + " [critical").contains("normal → critical")
            .contains("17000000003 [normal, pending-customer-action] Need VPC flow logs")
            .contains("legacy-billing (333333333333): access denied: AssumeRole denied for GetSupportInfoRole");
      });

      // 07:45 the outage is resolved; 08:00 the digest.
      clock.set(at("07:45:00"));
      CaseDetails resolved = Cases.withStatus(outage, "resolved");
      put(prefix, snapshot, Cases.state(resolved, at("07:10:00"), false, null));
      change(prefix, Cases.change("CASE_RESOLVED", outage, resolved, at("07:45:00"), false));
      awaitRead("casefeed.case-changes", 504);
      clock.set(at("07:59:59"));
      Thread.sleep(1_000);
      assertThat(mailsTo(recipients)).hasSize(4);
      clock.set(at("08:00:05"));
      await().atMost(Duration.ofSeconds(60)).until(() -> mailsTo(recipients).size() == 6);

      List<ParsedMail> digests = mailsTo(recipients).stream().filter(m -> mailId(m).startsWith("digest|")).toList();
      assertThat(digests).hasSize(2);
      assertThat(digests.stream().map(m -> m.header("To")).toList()).containsExactlyInAnyOrderElementsOf(recipients);
      String expectedCsv = expectedCsv(snapshot);
      long urgentOpen = snapshot.values().stream().map(CaseState::getCaseDetails)
          .filter(d -> !"resolved".equals(d.getStatus()) && List.of("urgent", "critical").contains(d.getSeverityCode())).count();
      long waiting = snapshot.values().stream().filter(s -> "pending-customer-action".equals(s.getCaseDetails().getStatus())).count();
      for (ParsedMail digest : digests) {
        assertThat(digest.subject()).isEqualTo("[casefeed] " + group + " digest " + DAY.toString().substring(0, 10)
            + ": 2 opened, 1 resolved, 1 escalated, " + urgentOpen + " urgent/critical open, " + waiting
            + " waiting on you, 1 account unreadable");
        assertThat(mailId(digest)).isEqualTo("digest|" + at("08:00:00") + "|" + group + "|" + digest.header("To"));
        String attachment = digest.attachments.get("case_list.csv");
        // The sink's case_list.csv: the seed's eight columns first, as the seed fills them, then casefeed's own.
        assertThat(seedColumnsOf(attachment)).isEqualTo(expectedCsv);
        assertThat(attachment).isEqualTo(io.casefeed.schemas.table.CaseListCsv.csv(snapshot.values()));
        assertThat(digest.text).contains("(500 existing cases read for the first time, not counted as new)")
            .contains("! legacy-billing (333333333333): access denied");
        assertThat(digest.html).contains("<a href=\"https://console.aws.amazon.com/support/home#/case/?displayId=17000000002\">")
            .contains("Payments API returns 503").contains("How to tag snapshots");
      }
      NotificationRecord sent = notifications(prefix).stream().filter(r -> r.getKind().equals("digest")).reduce((a, b) -> b).orElseThrow();
      assertThat(sent.getStage()).isEqualTo("sent");

      // Nothing more that day hour: no repeated alert, no second digest.
      clock.set(at("08:20:00"));
      Thread.sleep(1_500);
      assertThat(mailsTo(recipients)).hasSize(6);
    }
  }

  @Test
  void aBurstOf50UrgentCasesIsOneAlertPerRecipient() throws Exception {
    String prefix = topics("burst");
    String group = "burst" + Math.abs(prefix.hashCode() % 10_000);
    List<String> recipients = List.of(group + ".a@example.com", group + ".b@example.com", group + ".c@example.com");
    MutableClock clock = new MutableClock(at("10:00:00"));
    try (Notifier notifier = notifier(baseConfig(prefix, group, recipients), clock)) {
      notifier.start();
      assertThat(notifier.awaitReady(Duration.ofSeconds(60))).isTrue();
      // A record no reader can decode goes to the dead-letter topic and stops nothing.
      producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(prefix + "casefeed.case-changes",
          "111111111111:garbage".getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[] {9, 9, 9})).get();
      for (int i = 0; i < 50; i++) {
        CaseDetails d = Cases.details(i % 2 == 0 ? PROD : DEV, String.valueOf(18_000_000 + i), "Region outage " + i, "opened",
            i % 5 == 0 ? "critical" : "urgent", at("10:00:30").plusMillis(200L * i));
        change(prefix, Cases.change("CASE_OPENED", null, d, at("10:00:30").plusMillis(200L * i), false));
      }
      awaitRead("casefeed.case-changes", 51);
      clock.set(at("10:01:20"));
      await().atMost(Duration.ofSeconds(60)).until(() -> mailsTo(recipients).size() == 3);
      clock.set(at("10:05:00"));
      Thread.sleep(1_500);
      List<ParsedMail> mails = mailsTo(recipients);
      assertThat(mails).hasSize(3);
      assertThat(mails.stream().map(m -> m.header("To")).toList()).containsExactlyInAnyOrderElementsOf(recipients);
      for (ParsedMail mail : mails) {
        assertThat(mail.subject()).isEqualTo("[casefeed] " + group + " alert: 50 new cases");
        for (int i = 0; i < 50; i++) {
          assertThat(mail.text).contains(String.valueOf(18_000_000 + i));
        }
      }
      List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> letters = deadLetters(prefix);
      assertThat(letters).hasSize(1);
      assertThat(io.casefeed.schemas.DeadLetters.header(letters.get(0).headers(), io.casefeed.schemas.DeadLetters.SOURCE_TOPIC))
          .isEqualTo(prefix + "casefeed.case-changes");
      assertThat(io.casefeed.schemas.DeadLetters.header(letters.get(0).headers(), io.casefeed.schemas.DeadLetters.EXCEPTION))
          .contains("SerializationException");
      assertThat(letters.get(0).value()).containsExactly(9, 9, 9);
    }
  }

  @Test
  void aRejectedRecipientIsReportedAndTheOthersAreServed() throws Exception {
    String prefix = topics("reject");
    String group = "rej" + Math.abs(prefix.hashCode() % 10_000);
    String rejected = group + ".mallory@unverified.test";
    List<String> served = List.of(group + ".a@example.com", group + ".b@example.com");
    List<String> recipients = List.of(served.get(0), rejected, served.get(1));
    MutableClock clock = new MutableClock(at("12:00:00"));
    try (Notifier notifier = notifier(baseConfig(prefix, group, recipients), clock)) {
      notifier.start();
      assertThat(notifier.awaitReady(Duration.ofSeconds(60))).isTrue();
      CaseDetails d = Cases.details(PROD, "19000000001", "Database down", "opened", "critical", at("12:00:10"));
      change(prefix, Cases.change("CASE_OPENED", null, d, at("12:00:10"), false));
      awaitRead("casefeed.case-changes", 1);
      clock.set(at("12:01:20"));
      await().atMost(Duration.ofSeconds(60)).until(() -> notifications(prefix).stream().filter(r -> !r.getStage().equals("intended")).count() == 3);
      assertThat(outboxTo(served)).hasSize(2);
      assertThat(outboxTo(List.of(rejected))).isEmpty();
      List<NotificationRecord> completions = notifications(prefix).stream().filter(r -> !r.getStage().equals("intended"))
          .sorted(Comparator.comparing(NotificationRecord::getRecipient)).toList();
      assertThat(completions).extracting(NotificationRecord::getStage).containsExactlyInAnyOrder("sent", "sent", "rejected");
      NotificationRecord rejection = completions.stream().filter(r -> r.getStage().equals("rejected")).findFirst().orElseThrow();
      assertThat(rejection.getRecipient()).isEqualTo(rejected);
      assertThat(rejection.getError()).contains(rejected).contains("not verified");
    }
  }

  @Test
  void sesThrottlingAndServerErrorsAreRetriedUntilEveryRecipientHasItsMailOnce() throws Exception {
    String prefix = topics("faults");
    String group = "faults" + Math.abs(prefix.hashCode() % 10_000);
    List<String> recipients = List.of(group + ".a@example.com", group + ".b@example.com", group + ".c@example.com",
        group + ".d@example.com");
    MutableClock clock = new MutableClock(at("14:00:00"));
    cloud.simulation().faults().globalRateLimit(2.0).serverErrorRate(0.3);
    Map<String, String> properties = baseConfig(prefix, group, recipients);
    // The production pauses (200 ms doubling up to 10 s): SES's send rate is per second.
    properties.remove("notifier.ses.backoff.ms");
    try (Notifier notifier = notifier(properties, clock)) {
      notifier.start();
      assertThat(notifier.awaitReady(Duration.ofSeconds(60))).isTrue();
      CaseDetails d = Cases.details(PROD, "21000000001", "Everything is slow", "opened", "high", at("14:00:10"));
      change(prefix, Cases.change("CASE_OPENED", null, d, at("14:00:10"), false));
      awaitRead("casefeed.case-changes", 1);
      clock.set(at("14:01:20"));
      await().atMost(Duration.ofSeconds(90)).until(() -> mailsTo(recipients).size() >= 4);
      Thread.sleep(1_000);
    } finally {
      cloud.simulation().faults().clear();
    }
    assertThat(mailsTo(recipients).stream().map(m -> m.header("To")).toList()).containsExactlyInAnyOrderElementsOf(recipients);
    assertThat(meters.counter("casefeed.notifier.ses.retries", "kind", "alert").count()).isPositive();
    assertThat(notifications(prefix).stream().filter(r -> !r.getStage().equals("intended")))
        .extracting(NotificationRecord::getStage).containsOnly("sent").hasSize(4);
  }

  @Test
  void aDigestMissedWhileTheNotifierWasDownIsSentOnceWhenItComesBack() throws Exception {
    String prefix = topics("missed");
    String group = "missed" + Math.abs(prefix.hashCode() % 10_000);
    List<String> recipients = List.of(group + ".a@example.com", group + ".b@example.com");
    Map<String, String> properties = baseConfig(prefix, group, recipients);
    MutableClock clock = new MutableClock(at("07:40:00"));
    CaseDetails d = Cases.details(PROD, "22000000001", "Cost explorer question", "opened", "low", at("07:45:00"));
    try (Notifier notifier = notifier(properties, clock)) {
      notifier.start();
      assertThat(notifier.awaitReady(Duration.ofSeconds(60))).isTrue();
      caseState(prefix, Cases.state(d, at("07:45:00"), false, null));
      change(prefix, Cases.change("CASE_OPENED", null, d, at("07:45:00"), false));
      awaitRead("casefeed.case-changes", 1);
      clock.set(at("07:50:00"));
    }
    // Down over the 08:00 digest, back at 08:30; then restarted once more at 08:40.
    clock.set(at("08:30:00"));
    try (Notifier notifier = notifier(properties, clock)) {
      notifier.start();
      assertThat(notifier.awaitReady(Duration.ofSeconds(60))).isTrue();
      await().atMost(Duration.ofSeconds(60)).until(() -> mailsTo(recipients).size() >= 2);
    }
    clock.set(at("08:40:00"));
    try (Notifier notifier = notifier(properties, clock)) {
      notifier.start();
      assertThat(notifier.awaitReady(Duration.ofSeconds(60))).isTrue();
      Thread.sleep(1_500);
    }
    List<ParsedMail> mails = mailsTo(recipients);
    assertThat(mails).hasSize(2).allSatisfy(m -> {
      assertThat(mailId(m)).startsWith("digest|" + at("08:00:00") + "|");
      assertThat(m.subject()).contains(": 1 opened, 0 resolved");
      assertThat(m.attachments.get("case_list.csv")).contains("22000000001,opened,low");
    });
  }

  private static void put(String prefix, Map<String, CaseState> snapshot, CaseState state) {
    snapshot.put(state.getAccountId() + ":" + state.getCaseDetails().getCaseId(), state);
    caseState(prefix, state);
  }

  /** The seed's eight columns of each line (this test's texts have no comma or quote), rows sorted after the header. */
  private static String seedColumnsOf(String csv) {
    List<String> lines = List.of(csv.split("\r\n"));
    StringBuilder out = new StringBuilder(String.join(",", List.of(lines.get(0).split(",")).subList(0, 8))).append("\r\n");
    lines.subList(1, lines.size()).stream().map(l -> String.join(",", List.of(l.split(",", -1)).subList(0, 8))).sorted()
        .forEach(l -> out.append(l).append("\r\n"));
    return out.toString();
  }

  /** The seed's columns of the snapshot, spelled out independently of any CSV writer, rows sorted. */
  private static String expectedCsv(Map<String, CaseState> snapshot) {
    StringBuilder csv = new StringBuilder("case-id,status,severity,service,subject,createdtime,case-owner,account-id\r\n");
    snapshot.values().stream().map(CaseState::getCaseDetails)
        .map(d -> String.join(",", d.getDisplayId(), d.getStatus(), d.getSeverityCode(), d.getServiceCode(),
            d.getSubject(), d.getTimeCreated(), d.getSubmittedBy(), d.getAccountId()))
        .sorted()
        .forEach(line -> csv.append(line).append("\r\n"));
    return csv.toString();
  }


}
