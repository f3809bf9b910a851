package io.casefeed.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.casefeed.app.erase.EraseRun;
import io.casefeed.common.retry.Backoff;
import io.casefeed.localcloud.OutboxMessage;
import io.casefeed.localcloud.SimulatedAccount;
import io.casefeed.localcloud.SimulatedCase;
import io.casefeed.sink.query.LocalQuery;
import io.casefeed.sink.store.S3Clients;
import io.casefeed.sink.store.S3ObjectStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code casefeed erase --apply} on one case while the demo runs, as docs/data.md tells an operator
 * to: its subject, first body and e-mail addresses are gone from every S3 object (CSV bytes, Parquet
 * through DuckDB), the query API, the mails sent after the erase, and the latest value of every key in
 * casefeed's compacted topics (the stream-processor's changelogs and {@code casefeed.cases}); every
 * other case keeps its rows. The case is still open in AWS, so the collector reads it again and it
 * comes back scrubbed ({@code [erased]}).
 */
class EraseMidDemoIT {

  @TempDir Path work;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void oneCaseErasedMidRunLeavesNoTraceAndEveryOtherCaseIntact() throws Exception {
    Demo.Options options = new Demo.Options(work.resolve("data"), 4, 30.0, 0, 0, 0, 0, 0, 41L, 3_000, 30_000, "every 1m", 5_000);
    try (Demo demo = new Demo(options).withSettings(Demo.Component.SINK, Map.of("history.idle.flush.ms", "5000")).start()) {
      var simulation = demo.cloud().simulation();
      SimulatedAccount account = simulation.accounts().stream()
          .filter(a -> a.supportPlan() && a.hasRole() && "ACTIVE".equals(a.status())).findFirst().orElseThrow();
      await("the first reading").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
          .until(() -> apiText(demo, "/api/stats").contains("\"ok\""));

      long n = System.nanoTime();
      String subject = "Erase probe " + n + ": payroll export fails for Jane Roe";
      String body = "Erase probe body " + n + ": Jane Roe's payroll export fails since Monday";
      String submitter = "jane.roe." + n + "@example.com";
      String cc = "payroll.lead." + n + "@example.com";
      SimulatedCase probe = simulation.createCase(account.id(), subject, "general-info", null, "urgent", "en", body,
          List.of(cc), submitter);
      List<String> personal = List.of(subject, body, submitter, cc);

      S3Client s3 = S3Clients.create(demo.cloud().s3Endpoint(), "us-east-1", true, demo.cloud().accessKeyId(),
          demo.cloud().secretAccessKey(), Duration.ofSeconds(30));
      await("the probe case in the latest case list, the change history and an alert mail")
          .atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).until(() ->
              objectText(s3, "casefeed/case_list/latest/case_list.csv").contains(subject)
                  && csvObjects(s3, "casefeed/case_changes_csv/").values().stream().anyMatch(t -> t.contains(subject))
                  && demo.cloud().outbox().stream().anyMatch(m -> mailText(m).contains(subject)));
      // Another case, followed before the erase: it must keep its subject everywhere.
      SimulatedCase kept = simulation.cases(account.id()).stream()
          .filter(c -> !c.caseId().equals(probe.caseId()) && objectText(s3, "casefeed/case_list/latest/case_list.csv").contains(c.caseId()))
          .findFirst().orElseThrow();
      assertThat(apiText(demo, "/api/cases/" + account.id() + "/" + probe.caseId())).contains(subject);

      Path config = Files.writeString(work.resolve("casefeed.properties"), String.join("\n",
          "kafka.bootstrap.servers=" + demo.bootstrapServers(), "schema.registry.url=" + demo.cloud().schemaRegistryUrl(), ""));
      Path sinkConfig = Files.writeString(work.resolve("sink.properties"), String.join("\n",
          "kafka.bootstrap.servers=" + demo.bootstrapServers(), "schema.registry.url=" + demo.cloud().schemaRegistryUrl(),
          "s3.bucket=" + Demo.BUCKET, "s3.prefix=casefeed", "s3.endpoint=" + demo.cloud().s3Endpoint(), "s3.path.style.access=true",
          "s3.access.key.id=" + demo.cloud().accessKeyId(), "s3.secret.access.key=" + demo.cloud().secretAccessKey(), ""));
      String[] erase = {"--config", config.toString(), "--sink-config", sinkConfig.toString(),
          "--account", account.id(), "--case", probe.caseId()};
      // The sink keeps writing while the demo runs, so the dry run is checked on the case: every object that
      // held its subject before still does (EraseIT checks byte for byte on objects nothing else writes).
      List<String> holding = csvObjects(s3, "casefeed/").entrySet().stream().filter(e -> e.getValue().contains(subject))
          .map(Map.Entry::getKey).toList();
      assertThat(holding).isNotEmpty();
      String dryRun = erase(erase);
      assertThat(dryRun).contains("dry run: nothing was changed");
      Map<String, String> afterDryRun = csvObjects(s3, "casefeed/");
      assertThat(holding).allSatisfy(key -> assertThat(afterDryRun.get(key)).as(key).contains(subject));

      // From here AWS has nothing new on the case: a reply the customer writes after the erase is new
      // data that casefeed follows again (docs/data.md), so it would carry her address back by right.
      simulation.pause();
      Instant erasedAt = Instant.now();
      String applied = erase(append(erase, "--apply"));
      assertThat(applied).contains(probe.caseId()).doesNotContain(subject);
      // What the sink had read but not yet written when the erase ran is written with its data: once the
      // sink has flushed (its idle flush is 5 s here), the same erase rewrites only that (docs/data.md).
      Thread.sleep(12_000);
      erase(append(erase, "--apply"));

      // The case is still open in AWS: it is read again and followed, scrubbed.
      await("the probe followed again, scrubbed").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2))
          .ignoreExceptions().untilAsserted(() -> assertThat(apiText(demo, "/api/cases/" + account.id() + "/" + probe.caseId()))
              .contains("[erased]").doesNotContain(subject));
      // The erase has reached every reader of casefeed.cases by now; the digests from here on are the later ones.
      Instant propagated = Instant.now().plusSeconds(2);
      await("a digest sent after the erase").atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2))
          .until(() -> demo.cloud().outbox().stream().anyMatch(m -> m.sentAt().isAfter(propagated)
              && "digest".equals(m.tags().get("casefeed-kind"))));

      Map<String, String> outputs = new LinkedHashMap<>(csvObjects(s3, ""));
      LocalQuery query = new LocalQuery(new S3ObjectStore(s3, Demo.BUCKET, Backoff.fullJitter(3, Duration.ofMillis(100),
          Duration.ofSeconds(1)), Long.MAX_VALUE, Integer.MAX_VALUE, new SimpleMeterRegistry()), "casefeed", work.resolve("cache"));
      query.sync();
      for (String table : List.of("case_changes", "case_list_parquet")) {
        LocalQuery.Result rows = query.run("SELECT * FROM " + table);
        assertThat(rows.rows()).as(table).isNotEmpty();
        outputs.put("parquet " + table, rows.rows().toString());
      }
      outputs.put("GET /api/cases", apiText(demo, "/api/cases?limit=1000"));
      outputs.put("GET /api/cases/<probe>", apiText(demo, "/api/cases/" + account.id() + "/" + probe.caseId()));
      demo.cloud().outbox().stream().filter(m -> m.sentAt().isAfter(propagated)).forEach(m -> outputs.put(
          "mail sent after the erase (" + m.tags().get("casefeed-kind") + " at " + m.sentAt() + ")", mailText(m)));
      latestValues(demo).forEach((where, value) -> outputs.put("latest value " + where, value));

      List<String> traces = new ArrayList<>();
      outputs.forEach((where, text) -> personal.stream().filter(text::contains).forEach(p -> traces.add(where + " holds \"" + p + "\"")));
      assertThat(traces).as("traces of the erased case").isEmpty();
      assertThat(outputs.keySet()).anyMatch(k -> k.startsWith("mail sent after the erase"))
          .anyMatch(k -> k.startsWith("latest value casefeed.cases"));

      // Every other case is untouched: the kept case's subject is where it was.
      assertThat(outputs.get("casefeed/case_list/latest/case_list.csv")).contains(kept.subject());
      assertThat(outputs.get("parquet case_list_parquet")).contains(kept.subject());
      assertThat(outputs.get("GET /api/cases")).contains(kept.caseId());
      assertThat(apiText(demo, "/api/cases/" + account.id() + "/" + kept.caseId())).contains(kept.subject());
      // The audit object says what was erased, never the values.
      Map<String, String> audit = csvObjects(s3, "casefeed/_casefeed/erasures/");
      assertThat(audit).isNotEmpty();
      assertThat(audit.values()).anyMatch(a -> a.contains(probe.caseId()) && a.contains("\"done\""));
    }
  }

  /**
   * The latest value of every key holding the probe's case in casefeed's compacted topics: what a
   * compacted log keeps. Older values stay in the log until the cleaner compacts it (docs/data.md).
   */
  private static Map<String, String> latestValues(Demo demo) throws Exception {
    Map<String, String> latest = new LinkedHashMap<>();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, demo.bootstrapServers()))) {
      Set<String> topics = admin.listTopics().names().get();
      List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
      Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
      List<String> compacted = configs.entrySet().stream()
          .filter(e -> e.getValue().get(TopicConfig.CLEANUP_POLICY_CONFIG).value().contains(TopicConfig.CLEANUP_POLICY_COMPACT))
          .map(e -> e.getKey().name()).sorted().toList();
      assertThat(compacted).contains("casefeed.cases").anyMatch(t -> t.endsWith("-changelog"));
      for (String topic : compacted) {
        Map<String, byte[]> values = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(demo, topic)) {
          values.put(record.partition() + "/" + new String(record.key() == null ? new byte[0] : record.key(), StandardCharsets.ISO_8859_1),
              record.value());
        }
        values.forEach((key, value) -> latest.put(topic + " " + key, value == null ? "" : new String(value, StandardCharsets.UTF_8)));
      }
    }
    return latest;
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(Demo demo, String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", demo.bootstrapServers(),
        "isolation.level", "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /** Every object under {@code prefix} but Parquet, as text. */
  private static Map<String, String> csvObjects(S3Client s3, String prefix) {
    Map<String, String> objects = new LinkedHashMap<>();
    for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(Demo.BUCKET).prefix(prefix)).contents()) {
      if (!object.key().endsWith(".parquet")) {
        objects.put(object.key(), objectText(s3, object.key()));
      }
    }
    return objects;
  }

  private static String objectText(S3Client s3, String key) {
    try {
      return s3.getObjectAsBytes(b -> b.bucket(Demo.BUCKET).key(key)).asUtf8String();
    } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
      return "";
    }
  }

  private static String mailText(OutboxMessage message) {
    return MailText.of(message.rawMime());
  }

  private String apiText(Demo demo, String path) throws Exception {
    HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(demo.streams().queryUrl() + path))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(reply.statusCode()).as("GET " + path + ": " + reply.body()).isEqualTo(200);
    return reply.body();
  }

  private static String[] append(String[] args, String extra) {
    String[] result = java.util.Arrays.copyOf(args, args.length + 1);
    result[args.length] = extra;
    return result;
  }

  private static String erase(String[] args) {
    return EraseRun.run(args);
  }

}
