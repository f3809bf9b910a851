package io.casefeed.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.casefeed.common.time.Sleeper;
import io.casefeed.notifier.config.NotifierConfig;
import io.casefeed.notifier.delivery.Delivery;
import io.casefeed.notifier.delivery.MailIds;
import io.casefeed.notifier.delivery.MailSendException;
import io.casefeed.notifier.delivery.NotificationLedger;
import io.casefeed.notifier.delivery.OutgoingMail;
import io.casefeed.notifier.delivery.SesClients;
import io.casefeed.notifier.delivery.SesMailSender;
import io.casefeed.notifier.mime.MimeMessageBuilder;
import io.casefeed.notifier.mime.MessageFitter;
import io.casefeed.notifier.render.RenderedMail;
import io.casefeed.notifier.testing.ParsedMail;
import io.casefeed.schema.NotificationRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The digest of a large organisation through the SDK to local-cloud's SES, which refuses a raw
 * message over 40 MB as SES does: the case list as it is would be refused, so the notifier sends it
 * gzipped, and the recipient's attachment unzips to the same list.
 */
class OversizedDigestIT extends NotifierItSupport {

  /** About 31 MB of seed-shaped rows: over 40 MB once base64-encoded in the mail. */
  private static String bigCaseList() {
    StringBuilder csv = new StringBuilder("case-id,status,severity,service,subject,createdtime,case-owner,account-id\r\n");
    for (int i = 0; csv.length() < 31 * 1024 * 1024; i++) {
      csv.append("case-").append(100000000000L + i % 1000).append("-mues-2026-").append(Integer.toHexString(i))
          .append(",opened,normal,amazon-elastic-compute-cloud-linux,\"Instance unreachable after reboot ").append(i)
          .append("\",2026-11-20T08:00:00.000Z,owner").append(i % 40).append("@example.com,")
          .append(100000000000L + i % 1000).append("\r\n");
    }
    return csv.toString();
  }

  @Test
  void aDigestOverSesLimitIsDeliveredWithItsCaseListGzipped() throws Exception {
    String group = "big" + System.nanoTime() % 100_000;
    String recipient = group + ".ops@example.com";
    NotifierConfig config = NotifierConfig.load(null, Map.of(), baseConfig(group + ".", group, List.of(recipient)));
    SesV2Client ses = SesClients.fromConfig(config);
    SesMailSender sender = new SesMailSender(ses, null);
    String from = "casefeed@" + VERIFIED_DOMAIN;
    String csv = bigCaseList();
    Instant period = Instant.parse("2026-12-04T08:00:00Z");
    RenderedMail digest = new RenderedMail("[casefeed] " + group + " digest", "the digest\n", "<html><body>the digest</body></html>",
        "case_list.csv", csv);

    // SES itself (local-cloud, strict as AWS) refuses the mail as it is: the fallback is needed
    byte[] asIs = MimeMessageBuilder.build(from, recipient, "control", period, digest);
    assertThat(asIs.length).isGreaterThan(40 * 1024 * 1024);
    assertThatThrownBy(() -> sender.send(from, recipient, asIs, Map.of()))
        .isInstanceOfSatisfying(MailSendException.class,
            e -> assertThat(e.kind()).as(e.getMessage()).isEqualTo(MailSendException.Kind.REJECTED))
        .hasMessageContaining("40 megabytes");
    assertThat(outboxTo(List.of(recipient))).isEmpty();

    List<NotificationRecord> written = new ArrayList<>();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Delivery delivery = new Delivery(from, sender, written::add, new NotificationLedger(), Clock.systemUTC(), meters,
        (step, mail) -> { }, Sleeper.SYSTEM, 3, Duration.ofMillis(50), Duration.ofMillis(200),
        new MessageFitter(MessageFitter.SES_MAX_MESSAGE_BYTES, 10L * 1024 * 1024));
    OutgoingMail mail = new OutgoingMail(MailIds.digest(period, group, recipient), OutgoingMail.DIGEST, group, recipient,
        period.toString(), digest);

    assertThat(delivery.deliver(mail)).isEqualTo(Delivery.Outcome.SENT);
    assertThat(written).extracting(NotificationRecord::getStage).containsExactly("intended", "sent");
    List<ParsedMail> received = mailsTo(List.of(recipient));
    assertThat(received).hasSize(1);
    ParsedMail parsed = received.get(0);
    assertThat(parsed.attachmentBytes).containsOnlyKeys("case_list.csv.gz");
    assertThat(gunzip(parsed.attachmentBytes.get("case_list.csv.gz"))).isEqualTo(csv);
    assertThat(parsed.text).isEqualTo("the digest\n");
    assertThat(meters.counter("casefeed.notifier.mails.shrunk", "kind", "digest", "form", "attachment_gzipped").count())
        .isEqualTo(1.0);
  }

  private static String gunzip(byte[] gzipped) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
