package io.casefeed.localcloud;

import static io.casefeed.localcloud.SupportApiIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.MessageTag;

/** SES v2 and v1 through the real SDK clients: the outbox, its .eml files, restart, and the sandbox. */
class SesIT {

  @TempDir
  Path dataDir;

  @Test
  void simpleAndRawMailLandInTheOutboxAndAsEmlFiles() throws Exception {
    try (LocalCloud cloud = LocalCloud.start(LocalCloudOptions.builder().dataDir(dataDir).accounts(3).build());
         SesV2Client ses = AwsClients.sesV2(cloud, AwsClients.management(cloud));
         SesClient sesV1 = sesV1(cloud)) {
      String simpleId = ses.sendEmail(r -> r.fromEmailAddress("casefeed@example.com")
          .destination(d -> d.toAddresses("ops@example.com").ccAddresses("lead@example.com"))
          .content(c -> c.simple(m -> m.subject(s -> s.data("Digest: 3 cases changed"))
              .body(b -> b.text(t -> t.data("plain body")).html(h -> h.data("<p>html body</p>")))))
          .emailTags(MessageTag.builder().name("kind").value("digest").build())).messageId();

      byte[] raw = ("From: Seed <seed@example.com>\r\nTo: ops@example.com\r\nSubject: case_list.csv\r\n"
          + "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n").getBytes(StandardCharsets.UTF_8);
      String rawId = ses.sendEmail(r -> r.content(c -> c.raw(m -> m.data(SdkBytes.fromByteArray(raw))))).messageId();
      String v1Id = sesV1.sendRawEmail(r -> r.rawMessage(m -> m.data(SdkBytes.fromByteArray(raw)))).messageId();
      String v1SimpleId = sesV1.sendEmail(r -> r.source("casefeed@example.com").destination(d -> d.toAddresses("a@example.com"))
          .message(m -> m.subject(s -> s.data("hello")).body(b -> b.text(t -> t.data("body"))))).messageId();

      List<OutboxMessage> outbox = cloud.outbox();
      assertThat(outbox).extracting(OutboxMessage::messageId).containsExactly(simpleId, rawId, v1Id, v1SimpleId);
      OutboxMessage simple = outbox.get(0);
      assertThat(simple.from()).isEqualTo("casefeed@example.com");
      assertThat(simple.to()).containsExactly("ops@example.com", "lead@example.com");
      assertThat(simple.tags()).containsEntry("kind", "digest");
      String mime = new String(simple.rawMime(), StandardCharsets.UTF_8);
      assertThat(mime).contains("Subject: Digest: 3 cases changed", "multipart/alternative", "text/html");
      assertThat(outbox.get(1).from()).isEqualTo("seed@example.com");
      assertThat(outbox.get(1).rawMime()).isEqualTo(raw);
      assertThat(outbox.get(2).to()).containsExactly("ops@example.com");
      assertThat(Files.readAllBytes(cloud.outboxDir().resolve(rawId + ".eml"))).isEqualTo(raw);
      assertThat(cloud.simulation().callCounts()).containsKeys("SESv2.SendEmail:" + cloud.managementAccountId(),
          "SES.SendRawEmail:" + cloud.managementAccountId());
    }
    try (LocalCloud restarted = LocalCloud.start(LocalCloudOptions.builder().dataDir(dataDir).accounts(3).build())) {
      assertThat(restarted.outbox()).hasSize(4);
    }
  }

  @Test
  void theSandboxRejectsUnverifiedSendersAndRecipients() {
    Scenario sandbox = new Scenario(1L, 3, null, null, null, null, null, null, null, null, null, 0.0, null, true,
        List.of("casefeed@example.com", "team.example.com"), null);
    try (LocalCloud cloud = LocalCloud.start(LocalCloudOptions.builder().dataDir(dataDir).scenario(sandbox).build());
         SesV2Client ses = AwsClients.sesV2(cloud, AwsClients.management(cloud));
         SesClient sesV1 = sesV1(cloud)) {
      ses.sendEmail(r -> r.fromEmailAddress("casefeed@example.com").destination(d -> d.toAddresses("anyone@team.example.com"))
          .content(c -> c.simple(m -> m.subject(s -> s.data("ok")).body(b -> b.text(t -> t.data("ok"))))));
      assertError(() -> ses.sendEmail(r -> r.fromEmailAddress("casefeed@example.com")
          .destination(d -> d.toAddresses("stranger@elsewhere.example"))
          .content(c -> c.simple(m -> m.subject(s -> s.data("no")).body(b -> b.text(t -> t.data("no")))))), 400, "MessageRejected");
      assertError(() -> sesV1.sendEmail(r -> r.source("intruder@example.org").destination(d -> d.toAddresses("a@team.example.com"))
          .message(m -> m.subject(s -> s.data("no")).body(b -> b.text(t -> t.data("no"))))), 400, "MessageRejected");
      assertThat(cloud.outbox()).hasSize(1);
    }
  }

  private static SesClient sesV1(LocalCloud cloud) {
    return SesClient.builder().endpointOverride(cloud.awsEndpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsClients.management(cloud)))
        .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
  }
}
