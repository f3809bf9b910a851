package io.casefeed.sink.snapshot;

import io.casefeed.schema.CaseState;
import io.casefeed.schemas.table.CaseListCsv;
import io.casefeed.sink.format.ParquetBytes;
import io.casefeed.sink.store.ObjectStore;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Writes one case_list snapshot, CSV and Parquet, to its timed folder and as the latest. */
public final class CaseListSnapshots {

  private static final String CSV_TYPE = "text/csv; charset=utf-8";
  private static final String PARQUET_TYPE = "application/vnd.apache.parquet";

  private final ObjectStore store;
  private final String prefix;

  public CaseListSnapshots(ObjectStore store, String prefix) {
    this.store = store;
    this.prefix = prefix;
  }

  /** @return the timed folder written */
  public String write(Collection<CaseState> cases, Instant at) {
    List<CaseState> rows = CaseListCsv.sorted(cases);
    byte[] csv = CaseListCsv.TABLE.csv(rows).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] parquet = ParquetBytes.write(CaseListCsv.TABLE.avroSchema(), rows.stream().map(CaseListCsv.TABLE::toAvro).toList());
    Map<String, String> metadata = Map.of("casefeed-snapshot-at", at.toString(), "casefeed-cases", Integer.toString(rows.size()));
    String folder = SnapshotKeys.snapshotFolder(prefix, at);
    // The timed folder first: latest then never shows a snapshot that is not also kept.
    store.put(folder + SnapshotKeys.CSV, csv, CSV_TYPE, metadata);
    store.put(folder + SnapshotKeys.PARQUET, parquet, PARQUET_TYPE, metadata);
    store.put(SnapshotKeys.latestCsvFolder(prefix) + SnapshotKeys.CSV, csv, CSV_TYPE, metadata);
    store.put(SnapshotKeys.latestParquetFolder(prefix) + SnapshotKeys.PARQUET, parquet, PARQUET_TYPE, metadata);
    return folder;
  }
}
