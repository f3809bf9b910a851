package io.casefeed.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.common.aws.AwsClientFactory;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A digest goes to the group's mail recipients and, as a summary, to its Slack and Teams targets that
 * take digests, with a presigned link to the case list in S3 that downloads it; a target that takes
 * alerts only gets none, and a restart posts nothing twice.
 */
class ChannelDigestIT extends NotifierItSupport {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROD = "111111111111";
  private static final String BUCKET = "casefeed-digest-it";
  private static final String KEY = "casefeed/case_list/latest/case_list.csv";
  private static final Pattern SLACK_LINK = Pattern.compile("<(http[^|>]+)\\|Download the case list>");

  @Test
  void theDigestSummaryReachesSlackAndTeamsOnceWithAWorkingLink() throws Exception {
    String prefix = topics("channel-digest");
    String group = "digest" + Math.abs(prefix.hashCode() % 10_000);
    List<String> recipients = List.of(group + ".lead@example.com");
    byte[] list = ("case-id,status,severity,service,subject,createdtime,case-owner,account-id\n"
        + "case-" + PROD + "-2026-0001,opened,urgent,general-info,Payments API errors,2026-12-05T07:00:00Z,ops@example.com," + PROD + "\n")
        .getBytes(StandardCharsets.UTF_8);
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      String slackPath = "/" + group + "/slack";
      String teamsPath = "/" + group + "/teams";
      String pagerPath = "/" + group + "/pager";
      Map<String, String> p = baseConfig(prefix, group, recipients);
      p.put("notifier.digest.schedule", "0 8 * * *");
      p.put("notifier.digest.on.first.start", "true");
      p.put("notifier.channels", "oncall,leads,pager");
      p.put("notifier.group." + group + ".channels", "oncall,leads,pager");
      p.put("notifier.channel.oncall.type", "slack");
      p.put("notifier.channel.oncall.url", receiver.url(slackPath));
      p.put("notifier.channel.oncall.digests", "true");
      p.put("notifier.channel.leads.type", "teams");
      p.put("notifier.channel.leads.url", receiver.url(teamsPath));
      p.put("notifier.channel.leads.digests", "true");
      p.put("notifier.channel.pager.type", "slack");
      p.put("notifier.channel.pager.url", receiver.url(pagerPath));
      p.put(NotifierConfig.DIGEST_LINK_BUCKET, BUCKET);
      p.put("aws.s3.endpoint.override", cloud.s3Endpoint().toString());
      p.put("aws.s3.path.style", "true");
      NotifierConfig config = NotifierConfig.load(null, Map.of(), p);
      try (AwsClientFactory factory = AwsClientFactory.perClient(config.awsSettings(), Duration.ofSeconds(10));
          S3Client s3 = factory.configure("s3", S3Client.builder()).forcePathStyle(true).build()) {
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putObject(b -> b.bucket(BUCKET).key(KEY), RequestBody.fromBytes(list));
      }

      // Two days back: the broker refuses record times far in the future.
      Instant today = LocalDate.now(ZoneOffset.UTC).minusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();
      MutableClock clock = new MutableClock(today.plus(Duration.ofHours(9)));
      account(prefix, Cases.account(PROD, "prod-payments", today.plus(Duration.ofHours(6))));
      CaseDetails urgent = Cases.details(PROD, "18000000031", "Payments API errors", "opened", "urgent", today.plus(Duration.ofHours(7)));
      caseState(prefix, Cases.state(urgent, today.plus(Duration.ofHours(7)), false, null));

      for (int run = 0; run < 2; run++) {
        try (Notifier notifier = notifier(config, clock)) {
          notifier.start();
          assertThat(notifier.awaitReady(Duration.ofSeconds(60))).isTrue();
          await().atMost(Duration.ofSeconds(60)).until(() -> mailsTo(recipients).size() == 1
              && receiver.accepted(slackPath).size() == 1 && receiver.accepted(teamsPath).size() == 1);
        }
      }
      assertThat(mailsTo(recipients)).as("one digest mail over two starts").hasSize(1);
      assertThat(receiver.accepted(slackPath)).as("one Slack summary over two starts").hasSize(1);
      assertThat(receiver.accepted(teamsPath)).hasSize(1);
      assertThat(receiver.accepted(pagerPath)).as("a target that takes alerts only").isEmpty();

      JsonNode slack = JSON.readTree(receiver.accepted(slackPath).get(0).body());
      assertThat(slack.path("text").asText()).startsWith("[casefeed] " + group + " digest: 1 case,");
      assertThat(slack.toString()).contains("18000000031").contains("prod-payments (" + PROD + ")");
      Matcher link = SLACK_LINK.matcher(slack.toString());
      assertThat(link.find()).as(slack.toString()).isTrue();
      assertThat(download(link.group(1))).isEqualTo(list);

      ReceivedPost teams = receiver.accepted(teamsPath).get(0);
      JsonNode card = JSON.readTree(teams.body()).path("attachments").path(0).path("content");
      assertThat(card.path("actions").path(0).path("type").asText()).isEqualTo("Action.OpenUrl");
      assertThat(download(card.path("actions").path(0).path("url").asText())).isEqualTo(list);
      assertThat(notifications(prefix)).filteredOn(r -> r.getRecipient().toString().startsWith("slack:oncall"))
          .extracting(r -> r.getKind().toString()).containsOnly("digest");
    }
  }

  private Notifier notifier(NotifierConfig config, MutableClock clock) {
    return new Notifier(config, clock, registry, new SesMailSender(SesClients.fromConfig(config), null),
        HttpChannelPoster.create(Clock.systemUTC(), config.channelTimeout()), new SimpleMeterRegistry(), (step, mail) -> { },
        pause -> Thread.sleep(pause.toMillis()));
  }

  private static byte[] download(String url) throws Exception {
    HttpResponse<byte[]> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(reply.statusCode()).as(url).isEqualTo(200);
    return reply.body();
  }
}
