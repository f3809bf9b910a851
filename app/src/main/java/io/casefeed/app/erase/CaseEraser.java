package io.casefeed.app.erase;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.sink.format.ParquetBytes;
import io.casefeed.sink.history.HistoryKeys;
import io.casefeed.sink.store.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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
 * Erases one case's personal fields where this first slice reaches: a tombstone for the case on
 * the compacted {@code casefeed.cases}, and the sink's Parquet change-history objects rewritten
 * under the same key and metadata with the case's personal columns replaced by {@link #ERASED}
 * (every other row and column untouched), then an audit object saying what was done, which holds
 * ids and counts only. Planning reads and changes nothing; {@link #apply} acts on a plan.
 * Running it again finds the rows already erased and rewrites nothing: it is idempotent.
 */
public final class CaseEraser {

  public static final String ERASED = "[erased]";
  /**
   * The change-history columns that hold personal data (docs/data.md): the subject and the case
   * owner's e-mail address. Bodies are never written there; communication_author is AWS or CUSTOMER.
   */
  public static final List<String> PERSONAL_COLUMNS = List.of("subject", "case_owner");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One history object holding rows of the case, and how many of them still hold personal data. */
  public record ObjectToRewrite(String key, int rows, int rowsWithPersonalData) {}

  public record Plan(String accountId, String caseId, String casesTopic, String tombstoneKey, List<ObjectToRewrite> objects,
      String auditKey) {

    public List<ObjectToRewrite> rewrites() {
      return objects.stream().filter(o -> o.rowsWithPersonalData() > 0).toList();
    }

    public String describe(boolean applied) {
      StringBuilder out = new StringBuilder();
      String verb = applied ? "" : "would ";
      out.append(String.format(Locale.ROOT, "erase %s:%s%n", accountId, caseId));
      out.append(String.format(Locale.ROOT, "  kafka: %swrite a tombstone for key %s to %s%n", verb, tombstoneKey, casesTopic));
      if (auditKey == null) {
        out.append("  s3: not configured (no --sink-config), history objects not looked at\n");
      } else {
        for (ObjectToRewrite object : objects) {
          out.append(String.format(Locale.ROOT, "  s3: %s: %d row(s) of the case, %s%n", object.key(), object.rows(),
              object.rowsWithPersonalData() == 0 ? "already erased" : verb + "rewrite " + object.rowsWithPersonalData()
                  + " with " + String.join(", ", PERSONAL_COLUMNS) + " = " + ERASED));
        }
        if (objects.isEmpty()) {
          out.append("  s3: no change-history object holds the case\n");
        }
        out.append(String.format(Locale.ROOT, "  audit: %s%s%n", verb.isEmpty() ? "" : "would write ", auditKey));
      }
      out.append("  not covered: stream-processor state stores and changelogs (the query API and dashboard still show the case), casefeed.case-changes and "
          + "casefeed.case-observations records (retention), CSV history copies, timed case_list/ snapshots, sent mails; "
          + "see docs/data.md\n");
      return out.toString();
    }
  }

  private final Producer<byte[], byte[]> producer;
  private final String casesTopic;
  private final ObjectStore store;
  private final String s3Prefix;
  private final Path scratch;
  private final Clock clock;

  /**
   * @param store the sink's bucket, or null when S3 is not part of this erase
   */
  public CaseEraser(Producer<byte[], byte[]> producer, String casesTopic, ObjectStore store, String s3Prefix, Path scratch,
      Clock clock) {
    this.producer = producer;
    this.casesTopic = casesTopic;
    this.store = store;
    this.s3Prefix = s3Prefix;
    this.scratch = scratch;
    this.clock = clock;
  }

  public Plan plan(String accountId, String caseId) {
    List<ObjectToRewrite> objects = new ArrayList<>();
    String auditKey = null;
    if (store != null) {
      for (ObjectStore.StoredObject object : store.list(HistoryKeys.root(s3Prefix))) {
        if (!object.key().endsWith(".parquet")) {
          continue;
        }
        int rows = 0;
        int personal = 0;
        for (GenericRecord row : read(object.key())) {
          if (ofCase(row, accountId, caseId)) {
            rows++;
            personal += holdsPersonalData(row) ? 1 : 0;
          }
        }
        if (rows > 0) {
          objects.add(new ObjectToRewrite(object.key(), rows, personal));
        }
      }
      auditKey = (s3Prefix.isEmpty() ? "" : s3Prefix + "/") + "_casefeed/erasures/"
          + clock.instant().toString().replace(':', '-') + "-" + accountId + "-" + caseId + ".json";
    }
    return new Plan(accountId, caseId, casesTopic, CaseKeys.of(accountId, caseId), objects, auditKey);
  }

  public void apply(Plan plan) {
    try {
      producer.send(new ProducerRecord<>(casesTopic, plan.tombstoneKey().getBytes(StandardCharsets.UTF_8), null))
          .get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted writing the tombstone", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot write the tombstone to " + casesTopic + ": " + e.getMessage(), e);
    }
    if (store == null) {
      return;
    }
    ArrayNode rewritten = JSON.createArrayNode();
    for (ObjectToRewrite object : plan.rewrites()) {
      Map<String, String> metadata = store.metadata(object.key())
          .orElseThrow(() -> new IllegalStateException(object.key() + " disappeared since the plan"));
      List<GenericRecord> rows = read(object.key());
      Schema schema = rows.get(0).getSchema();
      int erased = 0;
      for (GenericRecord row : rows) {
        if (ofCase(row, plan.accountId(), plan.caseId()) && holdsPersonalData(row)) {
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
    ObjectNode audit = JSON.createObjectNode();
    audit.put("erased_at", clock.instant().toString());
    audit.put("account_id", plan.accountId());
    audit.put("case_id", plan.caseId());
    audit.putObject("kafka").put("topic", casesTopic).put("tombstone_key", plan.tombstoneKey());
    audit.set("history_objects_rewritten", rewritten);
    ArrayNode columns = audit.putArray("columns_erased");
    PERSONAL_COLUMNS.forEach(columns::add);
    audit.put("not_covered", "stream-processor state stores, case-changes/case-observations records until retention, "
        + "CSV history copies, timed case_list/ snapshots, mails already sent");
    store.put(plan.auditKey(), audit.toPrettyString().getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
  }

  private static boolean ofCase(GenericRecord row, String accountId, String caseId) {
    return accountId.equals(String.valueOf(row.get("account_id"))) && caseId.equals(String.valueOf(row.get("aws_case_id")));
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
