package io.casefeed.app.erase;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.sink.format.ParquetBytes;
import io.casefeed.sink.history.HistoryKeys;
import io.casefeed.sink.snapshot.SnapshotKeys;
import io.casefeed.sink.store.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/**
 * Erases one case's personal fields: a tombstone for the case on {@code casefeed.case-observations}
 * (the stream-processor then drops the case from its state stores and changelogs, tombstones it on
 * {@code casefeed.cases} and scrubs later observations of it), a tombstone on the compacted
 * {@code casefeed.cases} directly (so the case goes even while the stream-processor is down), and every object of the sink that holds the case (change history in Parquet and its CSV twins, case_list snapshots: timed folders and latest, CSV and Parquet) rewritten
 * under the same key and metadata with the case's personal columns replaced by {@link #ERASED}
 * (every other row and column untouched). An audit object, which holds ids and counts only, is
 * written first with {@code "state": "started"} (an interrupted erase is visible and is simply run
 * again) and rewritten with {@code "state": "done"} at the end. Planning reads and changes nothing; {@link #apply} acts on a plan.
 * Running it again finds the rows already erased and rewrites nothing: it is idempotent.
 */
public final class CaseEraser {

  public static final String ERASED = "[erased]";
  private static final String RESOLVED = "resolved";
  /**
   * The change-history columns that hold personal data (docs/data.md): the subject and the case
   * owner's e-mail address. Bodies are never written there; communication_author is AWS or CUSTOMER.
   */
  public static final List<String> PERSONAL_COLUMNS = List.of("subject", "case_owner");
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String NOT_COVERED = "casefeed.case-changes and casefeed.case-observations records already written (until retention), "
      + "mails already sent";

  /** One history object holding rows of the case, and how many of them still hold personal data. */
  public record ObjectToRewrite(String key, int rows, int rowsWithPersonalData) {}

  /** One case to erase. */
  public record CaseRef(String accountId, String caseId) {
    public String key() {
      return CaseKeys.of(accountId, caseId);
    }
  }

  /**
   * @param what what is erased, for the output and the audit: {@code account:case} or {@code resolved before DATE}
   */
  public record Plan(String what, List<CaseRef> cases, String observationsTopic, String casesTopic,
      List<ObjectToRewrite> objects, String auditKey) {

    Set<String> keys() {
      return cases.stream().map(CaseRef::key).collect(Collectors.toSet());
    }

    public List<ObjectToRewrite> rewrites() {
      return objects.stream().filter(o -> o.rowsWithPersonalData() > 0).toList();
    }

    public String describe(boolean applied) {
      StringBuilder out = new StringBuilder();
      String verb = applied ? "" : "would ";
      out.append(String.format(Locale.ROOT, "erase %s: %d case(s)%n", what, cases.size()));
      for (CaseRef erased : cases) {
        out.append(String.format(Locale.ROOT, "  kafka: %swrite a tombstone for key %s to %s (the stream-processor forgets the case)%n",
            verb, erased.key(), observationsTopic));
        out.append(String.format(Locale.ROOT, "  kafka: %swrite a tombstone for key %s to %s%n", verb, erased.key(), casesTopic));
      }
      if (auditKey == null) {
        out.append("  s3: not configured (no --sink-config), history objects not looked at\n");
      } else {
        for (ObjectToRewrite object : objects) {
          out.append(String.format(Locale.ROOT, "  s3: %s: %d row(s) of the case(s), %s%n", object.key(), object.rows(),
              object.rowsWithPersonalData() == 0 ? "already erased" : verb + "rewrite " + object.rowsWithPersonalData()
                  + " with " + String.join(", ", PERSONAL_COLUMNS) + " = " + ERASED));
        }
        if (objects.isEmpty()) {
          out.append("  s3: no change-history or case_list object holds the case(s)\n");
        }
        out.append(String.format(Locale.ROOT, "  audit: %s%s%n", verb.isEmpty() ? "" : "would write ", auditKey));
      }
      out.append("  not covered: " + NOT_COVERED + "; see docs/data.md\n");
      return out.toString();
    }
  }

  private final Producer<byte[], byte[]> producer;
  private final String observationsTopic;
  private final String casesTopic;
  private final ObjectStore store;
  private final String s3Prefix;
  private final Path scratch;
  private final Clock clock;

  /**
   * @param store the sink's bucket, or null when S3 is not part of this erase
   */
  public CaseEraser(Producer<byte[], byte[]> producer, String observationsTopic, String casesTopic, ObjectStore store, String s3Prefix,
      Path scratch, Clock clock) {
    this.producer = producer;
    this.observationsTopic = observationsTopic;
    this.casesTopic = casesTopic;
    this.store = store;
    this.s3Prefix = s3Prefix;
    this.scratch = scratch;
    this.clock = clock;
  }

  public Plan plan(String accountId, String caseId) {
    return plan(accountId + ":" + caseId, accountId + "-" + caseId, List.of(new CaseRef(accountId, caseId)));
  }

  /**
   * Every case that the sink's latest knowledge shows resolved before {@code cutoff}: its last
   * change-history row and its row in the latest case_list snapshot, where it has them, both say
   * resolved, and at a time before the cutoff (the history row's observation time, the snapshot's
   * resolved-at). A case reopened since, or not resolved, is left alone.
   */
  public Plan planResolvedBefore(LocalDate before) {
    if (store == null) {
      throw new IllegalStateException("--before needs --sink-config: the resolved cases are found in the sink's objects");
    }
    Instant cutoff = before.atStartOfDay(ZoneOffset.UTC).toInstant();
    Map<String, GenericRecord> lastChange = new HashMap<>();
    for (ObjectStore.StoredObject object : store.list(HistoryKeys.root(s3Prefix))) {
      if (object.key().endsWith(".parquet")) {
        for (GenericRecord row : read(object.key())) {
          String key = caseKey(row);
          GenericRecord known = lastChange.get(key);
          if (known == null || ((Number) row.get("version")).longValue() >= ((Number) known.get("version")).longValue()) {
            lastChange.put(key, row);
          }
        }
      }
    }
    Map<String, GenericRecord> latest = new HashMap<>();
    for (ObjectStore.StoredObject object : store.list(SnapshotKeys.latestParquetFolder(s3Prefix))) {
      if (object.key().endsWith(".parquet")) {
        read(object.key()).forEach(row -> latest.put(caseKey(row), row));
      }
    }
    Map<String, CaseRef> all = new TreeMap<>();
    for (Map<String, GenericRecord> source : List.of(lastChange, latest)) {
      source.values().forEach(row -> all.put(caseKey(row),
          new CaseRef(String.valueOf(row.get("account_id")), String.valueOf(row.get("aws_case_id")))));
    }
    List<CaseRef> cases = new ArrayList<>();
    for (Map.Entry<String, CaseRef> entry : all.entrySet()) {
      GenericRecord change = lastChange.get(entry.getKey());
      GenericRecord state = latest.get(entry.getKey());
      boolean historySays = change == null || resolvedBefore(change, "observed_at", cutoff);
      boolean snapshotSays = state == null || resolvedBefore(state, "resolved_at", cutoff);
      if (historySays && snapshotSays) {
        cases.add(entry.getValue());
      }
    }
    return plan("resolved before " + before, "before-" + before, cases);
  }

  private static boolean resolvedBefore(GenericRecord row, String timeColumn, Instant cutoff) {
    Object status = row.get("status");
    Instant at = instant(row.get(timeColumn));
    return status != null && RESOLVED.equals(status.toString().toLowerCase(Locale.ROOT)) && at != null && at.isBefore(cutoff);
  }

  private static Instant instant(Object value) {
    if (value instanceof Instant instant) {
      return instant;
    }
    return value instanceof Number millis ? Instant.ofEpochMilli(millis.longValue()) : null;
  }

  private static String caseKey(GenericRecord row) {
    return CaseKeys.of(String.valueOf(row.get("account_id")), String.valueOf(row.get("aws_case_id")));
  }

  private Plan plan(String what, String auditName, List<CaseRef> cases) {
    Set<String> keys = cases.stream().map(CaseRef::key).collect(Collectors.toSet());
    List<ObjectToRewrite> objects = new ArrayList<>();
    String auditKey = null;
    if (store != null) {
      for (String root : List.of(HistoryKeys.root(s3Prefix), HistoryKeys.csvRoot(s3Prefix), SnapshotKeys.root(s3Prefix))) {
        for (ObjectStore.StoredObject object : store.list(root)) {
          ObjectToRewrite found = keys.isEmpty() ? null
              : object.key().endsWith(".parquet") ? scanParquet(object.key(), keys)
              : object.key().endsWith(".csv") ? scanCsv(object.key(), keys) : null;
          if (found != null && found.rows() > 0) {
            objects.add(found);
          }
        }
      }
      auditKey = (s3Prefix.isEmpty() ? "" : s3Prefix + "/") + "_casefeed/erasures/"
          + clock.instant().toString().replace(':', '-') + "-" + auditName + ".json";
    }
    return new Plan(what, List.copyOf(cases), observationsTopic, casesTopic, objects, auditKey);
  }

  public void apply(Plan plan) {
    Instant erasedAt = clock.instant();
    ArrayNode rewritten = JSON.createArrayNode();
    if (store != null) {
      writeAudit(plan, erasedAt, "started", rewritten);
    }
    // The observations tombstone's timestamp is the erase time the stream-processor keeps: observations
    // read before it are dropped, later ones scrubbed.
    for (CaseRef erased : plan.cases()) {
      tombstone(observationsTopic, erased.key(), erasedAt);
      tombstone(casesTopic, erased.key(), erasedAt);
    }
    if (store == null) {
      return;
    }
    for (ObjectToRewrite object : plan.rewrites()) {
      Map<String, String> metadata = store.metadata(object.key())
          .orElseThrow(() -> new IllegalStateException(object.key() + " disappeared since the plan"));
      if (object.key().endsWith(".csv")) {
        int erased = rewriteCsv(object.key(), plan.keys(), metadata);
        rewritten.addObject().put("key", object.key()).put("rows_erased", erased);
        continue;
      }
      List<GenericRecord> rows = read(object.key());
      Schema schema = rows.get(0).getSchema();
      int erased = 0;
      for (GenericRecord row : rows) {
        if (plan.keys().contains(caseKey(row)) && holdsPersonalData(row)) {
          PERSONAL_COLUMNS.forEach(column -> {
            if (schema.getField(column) != null && row.get(column) != null) {
              row.put(column, ERASED);
            }
          });
          erased++;
        }
      }
      // Same key and metadata: the sink's exactly-once naming and offset ranges stay as they were.
      store.put(object.key(), ParquetBytes.write(schema, rows), "application/vnd.apache.parquet", metadata);
      rewritten.addObject().put("key", object.key()).put("rows_erased", erased);
    }
    writeAudit(plan, erasedAt, "done", rewritten);
  }

  private void tombstone(String topic, String key, Instant at) {
    try {
      producer.send(new ProducerRecord<>(topic, (Integer) null, at.toEpochMilli(), key.getBytes(StandardCharsets.UTF_8), (byte[]) null))
          .get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted writing the tombstone", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot write the tombstone to " + topic + ": " + e.getMessage(), e);
    }
  }

  private void writeAudit(Plan plan, Instant erasedAt, String state, ArrayNode rewritten) {
    ObjectNode audit = JSON.createObjectNode();
    audit.put("state", state);
    audit.put("erased_at", erasedAt.toString());
    audit.put("what", plan.what());
    ArrayNode cases = audit.putArray("cases");
    plan.cases().forEach(erased -> cases.addObject().put("account_id", erased.accountId()).put("case_id", erased.caseId()));
    ArrayNode tombstones = audit.putObject("kafka").put("tombstone_keys", "the cases' <accountId>:<caseId>").putArray("topics");
    tombstones.add(observationsTopic);
    tombstones.add(casesTopic);
    audit.set("history_objects_rewritten", rewritten);
    ArrayNode columns = audit.putArray("columns_erased");
    PERSONAL_COLUMNS.forEach(columns::add);
    audit.put("not_covered", NOT_COVERED);
    store.put(plan.auditKey(), audit.toPrettyString().getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
  }

  private ObjectToRewrite scanParquet(String key, Set<String> keys) {
    int rows = 0;
    int personal = 0;
    for (GenericRecord row : read(key)) {
      if (keys.contains(caseKey(row))) {
        rows++;
        personal += holdsPersonalData(row) ? 1 : 0;
      }
    }
    return new ObjectToRewrite(key, rows, personal);
  }

  /** The CSV copies name their columns with dashes: {@code account-id}, {@code aws-case-id}, {@code case-owner}. */
  private static String csvName(String column) {
    return column.replace('_', '-');
  }

  private ObjectToRewrite scanCsv(String key, Set<String> keys) {
    List<List<String>> rows = CsvErasure.parse(readText(key));
    if (rows.isEmpty()) {
      return null;
    }
    CsvColumns columns = CsvColumns.of(rows.get(0));
    if (columns == null) {
      return null;
    }
    int ofCase = 0;
    int personal = 0;
    for (List<String> row : rows.subList(1, rows.size())) {
      if (columns.ofCase(row, keys)) {
        ofCase++;
        personal += columns.holdsPersonalData(row) ? 1 : 0;
      }
    }
    return new ObjectToRewrite(key, ofCase, personal);
  }

  private int rewriteCsv(String key, Set<String> keys, Map<String, String> metadata) {
    List<List<String>> rows = CsvErasure.parse(readText(key));
    CsvColumns columns = CsvColumns.of(rows.get(0));
    int erased = 0;
    for (List<String> row : rows.subList(1, rows.size())) {
      if (columns.ofCase(row, keys) && columns.holdsPersonalData(row)) {
        columns.personal().forEach(i -> row.set(i, ERASED));
        erased++;
      }
    }
    store.put(key, CsvErasure.write(rows).getBytes(StandardCharsets.UTF_8), "text/csv; charset=utf-8", metadata);
    return erased;
  }

  /** Where the ids and the personal columns are in a CSV object, or null when it has no case ids. */
  private record CsvColumns(int account, int caseId, List<Integer> personal) {

    static CsvColumns of(List<String> header) {
      int account = header.indexOf(csvName("account_id"));
      int caseId = header.indexOf(csvName("aws_case_id"));
      if (account < 0 || caseId < 0) {
        return null;
      }
      List<Integer> personal = PERSONAL_COLUMNS.stream().map(c -> header.indexOf(csvName(c))).filter(i -> i >= 0).toList();
      return new CsvColumns(account, caseId, personal);
    }

    boolean ofCase(List<String> row, Set<String> keys) {
      return row.size() > Math.max(account, caseId) && keys.contains(CaseKeys.of(row.get(account), row.get(caseId)));
    }

    boolean holdsPersonalData(List<String> row) {
      return personal.stream().anyMatch(i -> i < row.size() && !row.get(i).isEmpty() && !ERASED.equals(row.get(i)));
    }
  }

  private String readText(String key) {
    try {
      Files.createDirectories(scratch);
      Path local = Files.createTempFile(scratch, "erase-", ".csv");
      try {
        store.download(key, local);
        return Files.readString(local, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(local);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + key, e);
    }
  }

  private static boolean holdsPersonalData(GenericRecord row) {
    for (String column : PERSONAL_COLUMNS) {
      if (row.getSchema().getField(column) != null) {
        Object value = row.get(column);
        if (value != null && !ERASED.equals(value.toString())) {
          return true;
        }
      }
    }
    return false;
  }

  private List<GenericRecord> read(String key) {
    try {
      Files.createDirectories(scratch);
      Path local = Files.createTempFile(scratch, "erase-", ".parquet");
      try {
        store.download(key, local);
        List<GenericRecord> rows = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(local),
            new PlainParquetConfiguration()).withDataModel(GenericData.get()).build()) {
          for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
            rows.add(row);
          }
        }
        return rows;
      } finally {
        Files.deleteIfExists(local);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + key, e);
    }
  }
}
