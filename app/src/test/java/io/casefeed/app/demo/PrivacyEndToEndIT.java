package io.casefeed.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.common.retry.Backoff;
import io.casefeed.localcloud.OutboxMessage;
import io.casefeed.localcloud.SimulatedAccount;
import io.casefeed.localcloud.SimulatedCase;
import io.casefeed.localcloud.SimulatedCommunication;
import io.casefeed.localcloud.webhook.ReceivedPost;
import io.casefeed.localcloud.webhook.WebhookReceiver;
import io.casefeed.sink.query.LocalQuery;
import io.casefeed.sink.store.S3Clients;
import io.casefeed.sink.store.S3ObjectStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code privacy.subjects=hash}, {@code privacy.emails=redact} and {@code privacy.bodies=redact} on every app, through the whole
 * pipeline: not one clear subject or e-mail address of the simulated organisation (its ground
 * truth) in any S3 object (CSV read as bytes, Parquet through DuckDB), mail (MIME bodies decoded),
 * signed webhook post, Slack message or query API reply; and the hash of a case opened during the run is where its
 * subject would be, so the outputs were checked with content in them, not empty.
 */
class PrivacyEndToEndIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void noClearSubjectOrAddressLeavesKafka() throws Exception {
    // Bodies redacted too: a customer's first communication often repeats the subject (the simulation's
    // always does), and with privacy.bodies=keep the query API rightly shows it.
    Map<String, String> privacy = Map.of("privacy.subjects", "hash", "privacy.emails", "redact", "privacy.bodies", "redact");
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      Map<String, String> notifier = new LinkedHashMap<>(privacy);
      notifier.put("notifier.channels", "slack,teams,tickets");
      notifier.put("notifier.group.leads.channels", "slack,teams,tickets");
      notifier.put("notifier.channel.tickets.type", "webhook");
      notifier.put("notifier.channel.tickets.url", receiver.url("/hooks/privacy"));
      notifier.put("notifier.channel.tickets.secret", "privacy-test-secret-0123456789");
      Demo.Options options = new Demo.Options(work.resolve("data"), 4, 30.0, 0, 0, 0, 0, 0, 31L, 3_000, 30_000, "every 1m", 5_000);
      try (Demo demo = new Demo(options)
          .withSettings(Demo.Component.COLLECTOR, privacy).withSettings(Demo.Component.STREAMS, privacy)
          .withSettings(Demo.Component.SINK, privacy).withSettings(Demo.Component.NOTIFIER, notifier).start()) {
        var simulation = demo.cloud().simulation();
        SimulatedAccount account = simulation.accounts().stream()
            .filter(a -> a.supportPlan() && a.hasRole() && "ACTIVE".equals(a.status())).findFirst().orElseThrow();
        await("the first reading").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
            .until(() -> api(demo, "/api/stats").path("coverage").path("lastOutcome").path("ok").asLong() >= 1);

        // An urgent case opened now: alerted (mail and webhook), snapshotted, listed, with a subject and address of its own.
        String subject = "Privacy probe " + System.nanoTime() + ": production database unreachable";
        String service = simulation.cases(account.id()).stream().map(SimulatedCase::serviceCode).findFirst()
            .orElse("amazon-elastic-compute-cloud-linux");
        SimulatedCase probe = simulation.createCase(account.id(), subject, service, "urgent", "en");
        String hashed = "sha256:" + HexFormat.of().formatHex(sha256(subject)).substring(0, 16);

        S3Client s3 = S3Clients.create(demo.cloud().s3Endpoint(), "us-east-1", true, demo.cloud().accessKeyId(),
            demo.cloud().secretAccessKey(), Duration.ofSeconds(30));
        await("the probe case alerted by mail and webhook, in the latest case_list.csv, and change history written")
            .atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).until(() ->
                receiver.posts("/hooks/privacy").stream().anyMatch(p -> body(p).contains(probe.caseId()))
                    && demo.cloud().outbox().stream().anyMatch(m -> mailText(m).contains(probe.displayId()))
                    && objectText(s3, "casefeed/case_list/latest/case_list.csv").contains(probe.caseId())
                    && s3.listObjectsV2Paginator(b -> b.bucket(Demo.BUCKET).prefix("casefeed/case_changes/")).contents().stream()
                        .anyMatch(o -> o.key().endsWith(".parquet")));

        // Ground truth: every subject and address the organisation holds, read after the outputs were written.
        Set<String> subjects = new TreeSet<>();
        Set<String> addresses = new TreeSet<>();
        simulation.allCases().values().forEach(cases -> cases.forEach(c -> {
          subjects.add(c.subject());
          addIfAddress(addresses, c.submittedBy());
          c.ccEmailAddresses().forEach(a -> addIfAddress(addresses, a));
          c.communications().stream().map(SimulatedCommunication::submittedBy).forEach(a -> addIfAddress(addresses, a));
        }));
        assertThat(subjects).contains(subject);
        assertThat(addresses).as("the organisation's addresses").isNotEmpty();

        Map<String, String> outputs = new LinkedHashMap<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(Demo.BUCKET)).contents()) {
          if (!object.key().endsWith(".parquet")) {
            outputs.put("s3://" + object.key(), objectText(s3, object.key()));
          }
        }
        S3ObjectStore store = new S3ObjectStore(s3, Demo.BUCKET, Backoff.fullJitter(3, Duration.ofMillis(100), Duration.ofSeconds(1)),
            Long.MAX_VALUE, Integer.MAX_VALUE, new SimpleMeterRegistry());
        LocalQuery query = new LocalQuery(store, "casefeed", work.resolve("query-cache"));
        query.sync();
        for (String table : List.of("case_changes", "case_list_parquet")) {
          LocalQuery.Result rows = query.run("SELECT * FROM " + table);
          assertThat(rows.rows()).as(table).isNotEmpty();
          outputs.put("parquet " + table, rows.rows().toString());
        }
        demo.cloud().outbox().forEach(m -> outputs.put("mail " + m.messageId(), mailText(m)));
        receiver.posts("/hooks/privacy").forEach(p -> outputs.put("webhook " + p.sequence(), body(p)));
        demo.slack().posts(Demo.SLACK_PATH).forEach(p -> outputs.put("slack " + p.sequence(), body(p)));
        demo.slack().posts(Demo.TEAMS_PATH).forEach(p -> outputs.put("teams " + p.sequence(), body(p)));
        outputs.put("GET /api/cases", apiText(demo, "/api/cases?limit=1000"));
        outputs.put("GET /api/accounts", apiText(demo, "/api/accounts"));
        outputs.put("GET /api/cases/" + account.id() + "/" + probe.caseId(),
            apiText(demo, "/api/cases/" + account.id() + "/" + probe.caseId()));

        assertThat(outputs.keySet()).anyMatch(k -> k.startsWith("s3://") && k.endsWith(".csv"))
            .anyMatch(k -> k.startsWith("mail ")).anyMatch(k -> k.startsWith("webhook ")).anyMatch(k -> k.startsWith("slack "));
        List<String> leaks = new ArrayList<>();
        outputs.forEach((where, text) -> {
          subjects.stream().filter(text::contains).forEach(s -> leaks.add(where + " holds the subject \"" + s + "\""));
          addresses.stream().filter(text::contains).forEach(a -> leaks.add(where + " holds the address " + a));
        });
        assertThat(leaks).as("clear subjects or addresses outside Kafka").isEmpty();
        // The probe's subject is there, hashed, where people and tables read it.
        assertThat(outputs.get("s3://casefeed/case_list/latest/case_list.csv")).contains(hashed);
        assertThat(outputs.get("parquet case_list_parquet")).contains(hashed);
        assertThat(outputs.get("GET /api/cases/" + account.id() + "/" + probe.caseId())).contains(hashed);
        assertThat(receiver.posts("/hooks/privacy").stream().map(PrivacyEndToEndIT::body)
            .filter(b -> b.contains(probe.caseId()))).allMatch(b -> b.contains(hashed));
      }
    }
  }

  private static void addIfAddress(Set<String> addresses, String value) {
    if (value != null && value.contains("@")) {
      addresses.add(value);
    }
  }

  private static String body(ReceivedPost post) {
    return new String(post.body(), StandardCharsets.UTF_8);
  }

  private static String mailText(OutboxMessage message) {
    return MailText.of(message.rawMime());
  }

  private static String objectText(S3Client s3, String key) {
    try {
      return s3.getObjectAsBytes(b -> b.bucket(Demo.BUCKET).key(key)).asUtf8String();
    } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
      return "";
    }
  }

  private JsonNode api(Demo demo, String path) throws Exception {
    return JSON.readTree(apiText(demo, path));
  }

  private String apiText(Demo demo, String path) throws Exception {
    HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(demo.streams().queryUrl() + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(reply.statusCode()).as("GET " + path + ": " + reply.body()).isEqualTo(200);
    return reply.body();
  }

  private static byte[] sha256(String text) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
  }
}
