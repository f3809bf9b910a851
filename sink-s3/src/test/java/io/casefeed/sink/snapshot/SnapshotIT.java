package io.casefeed.sink.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseState;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.schemas.Topics;
import io.casefeed.sink.S3Sink;
import io.casefeed.sink.config.SinkConfig;
import io.casefeed.schemas.table.CaseListCsv;
import io.casefeed.sink.query.LocalQuery;
import io.casefeed.sink.store.S3ObjectStore;
import io.casefeed.sink.testing.Changes;
import io.casefeed.sink.testing.Feed;
import io.casefeed.sink.testing.LocalS3;
import io.casefeed.sink.testing.SinkSettings;
import io.casefeed.streams.pivot.PivotCell;
import io.casefeed.localcloud.registry.SchemaRegistryServer;
import io.casefeed.sink.testing.Registry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * casefeed.cases to the case_list snapshot: the seed's columns, Python-readable, and pivot views in
 * DuckDB whose cells and counts are the stream-processor's pivot cells of the same cases.
 */
class SnapshotIT {

  private static final String BUCKET = "snapshot-it";

  @Test
  void latestStateOfEveryCaseInTheSeedsCsvAndInParquetWithPivotViews(@TempDir Path dir) throws Exception {
    try (LocalS3 s3 = LocalS3.start(BUCKET); SchemaRegistryServer registry = Registry.start(); S3Client client = s3.client()) {
      String prefix = KafkaFixture.unique("snapshot") + ".";
      KafkaFixture.createTopics(prefix, List.of(Topics.CASES), 3);
      Instant at = Instant.parse("2026-11-26T09:00:00Z");
      List<CaseState> states = new ArrayList<>();
      for (int n = 1; n <= 30; n++) {
        CaseDetails details = Changes.details("2222222222" + (10 + n % 3), n, "Case " + n + ", \"quoted\"\nsecond line");
        if (n == 5) {
          details.setLanguage(null);
        }
        states.add(Changes.state(details, at));
      }
      CaseState updated = CaseState.newBuilder(states.get(0)).setVersion(2).setLastChangeType("CASE_RESOLVED")
          .setCaseDetails(CaseDetails.newBuilder(states.get(0).getCaseDetails()).setStatus("resolved").build()).build();
      CaseState removed = states.get(1);
      List<CaseState> sent = new ArrayList<>(states);
      sent.add(updated);
      Feed.sendStates(registry.url(), prefix + Topics.CASES.name(), sent,
          List.of(CaseKeys.of(removed.getAccountId(), removed.getCaseDetails().getCaseId())));
      Map<String, CaseState> expected = new TreeMap<>();
      for (CaseState state : sent) {
        expected.put(state.getCaseDetails().getCaseId(), state);
      }
      expected.remove(removed.getCaseDetails().getCaseId());

      Map<String, String> settings = SinkSettings.of(prefix, s3.endpoint(), BUCKET, registry.url());
      settings.put("history.enabled", "false");
      SinkConfig config = new SinkConfig(settings);
      try (S3Sink sink = S3Sink.create(config, Clock.systemUTC(), new SimpleMeterRegistry()).start()) {
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.lastSnapshotFolder() != null);
        String folder = sink.lastSnapshotFolder();
        assertThat(folder).matches("casefeed/case_list/snapshot=\\d{8}T\\d{6}Z/");
        assertThat(client.listObjectsV2(b -> b.bucket(BUCKET).prefix(folder)).contents())
            .extracting(o -> o.key().substring(folder.length())).containsExactlyInAnyOrder("case_list.csv", "case_list.parquet");
      }

      Path csv = dir.resolve("case_list.csv");
      Files.write(csv, client.getObjectAsBytes(b -> b.bucket(BUCKET).key("casefeed/case_list/latest/case_list.csv")).asByteArray());
      List<List<String>> parsed = readWithPython(csv, dir);
      assertThat(parsed.get(0)).isEqualTo(CaseListCsv.TABLE.csvHeader());
      assertThat(parsed.get(0).subList(0, 8)).isEqualTo(CaseListCsv.SEED_COLUMNS);
      Map<String, List<String>> seedFieldsByDisplayId = parsed.subList(1, parsed.size()).stream()
          .collect(Collectors.toMap(r -> r.get(0), r -> r.subList(0, 8)));
      assertThat(seedFieldsByDisplayId).hasSize(expected.size());
      for (CaseState state : expected.values()) {
        CaseDetails d = state.getCaseDetails();
        assertThat(seedFieldsByDisplayId.get(d.getDisplayId())).containsExactly(d.getDisplayId(), d.getStatus(), d.getSeverityCode(),
            d.getServiceCode(), d.getSubject().replace('\n', ' '), d.getTimeCreated(), d.getSubmittedBy(), d.getAccountId());
      }

      LocalQuery query = new LocalQuery(new S3ObjectStore(client, BUCKET, config.retryPolicy(), Long.MAX_VALUE, Integer.MAX_VALUE,
          new SimpleMeterRegistry()), "casefeed", dir.resolve("cache"));
      query.sync();
      Map<String, Long> pivot = new HashMap<>();
      for (List<Object> row : query.run("SELECT account_id, status, severity, service, language, cases FROM case_counts").rows()) {
        pivot.put(row.subList(0, 5).stream().map(Object::toString).collect(Collectors.joining("|")), (Long) row.get(5));
      }
      assertThat(pivot).isEqualTo(expectedPivot(expected.values()));
      assertThat(pivot).containsKey(pivotKey(states.get(4)));
      assertThat(pivotKey(states.get(4))).endsWith("|unknown");
      assertThat(query.run("SELECT count(*) FROM case_list").rows().get(0).get(0)).isEqualTo((long) expected.size());
      assertThat(query.run("SELECT subject FROM case_list_parquet WHERE case_id = '" + states.get(2).getCaseDetails().getDisplayId() + "'")
          .rows()).containsExactly(List.of(states.get(2).getCaseDetails().getSubject()));
      assertThat(query.run("SELECT status FROM case_list WHERE aws_case_id = '" + updated.getCaseDetails().getCaseId() + "'").rows())
          .containsExactly(List.of("resolved"));
    }
  }

  /** The stream-processor's pivot: its own cell of each case, counted. */
  private static Map<String, Long> expectedPivot(Iterable<CaseState> states) {
    Map<String, Long> pivot = new HashMap<>();
    for (CaseState state : states) {
      pivot.merge(pivotKey(state), 1L, Long::sum);
    }
    return pivot;
  }

  private static String pivotKey(CaseState state) {
    return PivotCell.of(state.getCaseDetails()).key();
  }

  private static List<List<String>> readWithPython(Path csv, Path dir) throws Exception {
    Path out = dir.resolve("parsed.json");
    Process python = new ProcessBuilder("/usr/bin/python3", "-c",
        "import csv,json,sys\n"
            + "rows=list(csv.reader(open(sys.argv[1],newline='',encoding='utf-8')))\n"
            + "json.dump(rows,open(sys.argv[2],'w',encoding='utf-8'))\n",
        csv.toString(), out.toString()).inheritIO().start();
    assertThat(python.waitFor()).isZero();
    return new ObjectMapper().readValue(Files.readString(out, StandardCharsets.UTF_8), new TypeReference<>() {});
  }
}
