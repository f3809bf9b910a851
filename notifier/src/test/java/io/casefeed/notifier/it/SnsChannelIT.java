package io.casefeed.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.common.time.MutableClock;
import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.localcloud.sns.PublishedMessage;
import io.casefeed.notifier.Notifier;
import io.casefeed.notifier.config.NotifierConfig;
import io.casefeed.notifier.delivery.SesClients;
import io.casefeed.notifier.delivery.SesMailSender;
import io.casefeed.notifier.testing.Cases;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.NotificationRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The real notifier on the embedded broker publishing urgent alerts to an SNS topic on local-cloud
 * (its SigV4-checked Query API, through the notifier's own SDK client): the CloudEvents body and the
 * filter attributes arrive, the ledger records each publish once, a restart publishes nothing again,
 * and a notifier SIGKILLed after SNS took a publish but before the sent record was durable publishes
 * again on restart under the same MessageDeduplicationId, which the FIFO topic drops: one message.
 */
class SnsChannelIT extends NotifierItSupport {

  private static final String PROD = "111111111111";
  private static final Instant DAY = LocalDate.now(ZoneOffset.UTC).minusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @TempDir
  Path dir;

  private static Instant at(String time) {
    return DAY.plus(Duration.between(LocalTime.MIDNIGHT, LocalTime.parse(time)));
  }

  private static String createTopic(String name, boolean fifo) {
    try (SnsClient sns = SnsClient.builder().endpointOverride(cloud.awsEndpoint()).region(Region.EU_WEST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(cloud.accessKeyId(), cloud.secretAccessKey())))
        .build()) {
      return sns.createTopic(r -> r.name(fifo ? name + ".fifo" : name).attributes(fifo ? Map.of("FifoTopic", "true") : Map.of()))
          .topicArn();
    }
  }

  private static List<PublishedMessage> on(String arn) {
    return cloud.snsMessages().stream().filter(m -> m.topicArn().equals(arn)).toList();
  }

  private static long publishCalls() {
    return cloud.simulation().callCounts().entrySet().stream().filter(e -> e.getKey().contains("Publish"))
        .mapToLong(Map.Entry::getValue).sum();
  }

  private static Map<String, String> config(String prefix, String group, String topicArn) {
    Map<String, String> p = baseConfig(prefix, group, List.of());
    p.remove("notifier.group." + group + ".recipients");
    p.put("notifier.channels", "pager");
    p.put("notifier.group." + group + ".channels", "pager");
    p.put("notifier.channel.pager.type", "sns");
    p.put("notifier.channel.pager.topic.arn", topicArn);
    p.put("notifier.channel.pager.min.severity", "urgent");
    p.put("aws.sns.endpoint.override", cloud.awsEndpoint().toString());
    p.put("notifier.channels.backoff.ms", "50");
    return p;
  }

  private Notifier notifier(Map<String, String> properties, MutableClock clock) {
    NotifierConfig config = NotifierConfig.load(null, Map.of(), properties);
    // The production wiring of channel posters (HTTP, and SNS through the AWS client factory).
    return new Notifier(config, clock, registry, new SesMailSender(SesClients.fromConfig(config), null), meters,
        (step, mail) -> { }, pause -> Thread.sleep(pause.toMillis()));
  }

  @Test
  void anUrgentCaseIsPublishedOnceWithItsAttributesAndNotAgainAfterARestart() throws Exception {
    String prefix = topics("sns-chan");
    String group = "sns" + Math.abs(prefix.hashCode() % 10_000);
    String arn = createTopic(group + "-alerts", false);
    Map<String, String> properties = config(prefix, group, arn);
    MutableClock clock = new MutableClock(at("07:09:00"));
    CaseDetails outage;
    try (Notifier notifier = notifier(properties, clock)) {
      notifier.start();
      assertThat(notifier.awaitReady(Duration.ofSeconds(60))).isTrue();
      clock.set(at("07:10:00"));
      account(prefix, Cases.account(PROD, "prod-payments", at("06:00:00")));
      outage = Cases.details(PROD, "17000000001", "Payments API returns 503", "opened", "urgent", at("07:09:40"));
      caseState(prefix, Cases.state(outage, at("07:10:00"), false, null));
      change(prefix, Cases.change("CASE_OPENED", null, outage, at("07:10:00"), false));
      CaseDetails question = Cases.details(PROD, "17000000002", "How to tag snapshots", "opened", "low", at("07:10:10"));
      change(prefix, Cases.change("CASE_OPENED", null, question, at("07:10:30"), false));
      await().atMost(Duration.ofSeconds(60))
          .until(() -> meters.counter("casefeed.notifier.records.read", "topic", "casefeed.case-changes").count() >= 2
              && meters.counter("casefeed.notifier.records.read", "topic", "casefeed.accounts").count() >= 1);
      clock.set(at("07:11:20"));
      await().atMost(Duration.ofSeconds(60)).until(() -> on(arn).size() == 1
          && notifications(prefix).stream().anyMatch(r -> r.getStage().toString().equals("sent")));
    }
    PublishedMessage message = on(arn).get(0);
    assertThat(message.attributes()).containsEntry("severity", "urgent").containsEntry("change", "opened")
        .containsEntry("account_id", PROD).containsEntry("group", group);
    assertThat(message.subject()).contains("17000000001");
    JsonNode event = JSON.readTree(message.message());
    assertThat(event.path("type").asText()).isEqualTo("io.casefeed.case.opened");
    assertThat(event.path("data").path("case").path("displayId").asText()).isEqualTo("17000000001");
    assertThat(event.path("data").path("account").path("name").asText()).isEqualTo("prod-payments");
    List<NotificationRecord> records = notifications(prefix);
    assertThat(records).extracting(r -> r.getStage().toString()).containsExactly("intended", "sent");
    assertThat(records.get(1).getRecipient().toString()).isEqualTo("sns:pager");
    assertThat(records.get(1).getSesMessageId().toString()).isEqualTo("MessageId " + message.messageId());
    assertThat(event.path("id").asText()).isEqualTo(records.get(1).getMailId().toString());

    long callsBefore = publishCalls();
    try (Notifier again = notifier(properties, clock)) {
      again.start();
      assertThat(again.awaitReady(Duration.ofSeconds(60))).isTrue();
      clock.set(at("07:12:30"));
      Thread.sleep(1_500);
    }
    assertThat(on(arn)).hasSize(1);
    assertThat(publishCalls()).isEqualTo(callsBefore);
  }

  @Test
  void aKillAfterSnsTookThePublishRepublishesUnderTheSameDeduplicationIdAndTheFifoTopicKeepsOne() throws Exception {
    String prefix = topics("sns-crash");
    String group = "snscrash" + Math.abs(prefix.hashCode() % 10_000);
    String arn = createTopic(group + "-alerts", true);
    Map<String, String> properties = config(prefix, group, arn);
    properties.put("notifier.alert.window.ms", "2000");
    properties.put("notifier.alert.grace.ms", "1000");

    try (NotifierProcess first = NotifierProcess.start(dir, properties, null)) {
      await().atMost(NotifierProcess.startupAllowance()).until(() -> hasCommittedWatermark(prefix + "notifier") || !first.isAlive());
      assertThat(first.isAlive()).as(first.stderr()).isTrue();
      first.kill();
    }
    Instant observed = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    CaseDetails outage = Cases.details(PROD, "21000000001", "Checkout is down", "opened", "critical", observed);
    change(prefix, Cases.change("CASE_OPENED", null, outage, observed, false));
    long callsBefore = publishCalls();
    String pausedAt;
    // Paused (then SIGKILLed) after SNS answered the publish, before the sent record is written.
    try (NotifierProcess second = NotifierProcess.start(dir, properties, "SES_ACCEPTED:1")) {
      await().atMost(NotifierProcess.startupAllowance()).until(() -> second.pausedMailId().isPresent() || !second.isAlive());
      assertThat(second.pausedMailId()).as(second.stderr()).isPresent();
      pausedAt = second.pausedMailId().orElseThrow();
      second.kill();
    }
    assertThat(on(arn)).hasSize(1);
    try (NotifierProcess third = NotifierProcess.start(dir, properties, null)) {
      await().atMost(NotifierProcess.startupAllowance())
          .until(() -> notifications(prefix).stream().anyMatch(r -> r.getStage().toString().equals("sent")) || !third.isAlive());
      assertThat(third.isAlive()).as(third.stderr()).isTrue();
      Thread.sleep(2_000);
    }
    // Two publishes reached SNS (the in-flight window), one message reached the topic's subscribers.
    assertThat(publishCalls() - callsBefore).isEqualTo(2);
    List<PublishedMessage> messages = on(arn);
    assertThat(messages).hasSize(1);
    assertThat(messages.get(0).deduplicationId()).isEqualTo(pausedAt);
    assertThat(messages.get(0).groupId()).isEqualTo(outage.getCaseId().toString());
    assertThat(messages.get(0).attributes()).containsEntry("severity", "critical");
    assertThat(notifications(prefix).stream().filter(r -> r.getStage().toString().equals("sent")).count()).isEqualTo(1);
  }

  private static boolean hasCommittedWatermark(String groupId) throws Exception {
    try (Admin admin = KafkaFixture.admin()) {
      return !admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get().isEmpty();
    }
  }
}
