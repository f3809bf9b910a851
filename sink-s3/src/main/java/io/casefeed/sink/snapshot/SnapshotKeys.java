package io.casefeed.sink.snapshot;

import io.casefeed.schemas.table.Timestamps;
import java.time.Instant;

/**
 * Where the case_list snapshots go: both files in one folder per snapshot time (the archive), the
 * latest CSV in latest/ and the latest Parquet in latest_parquet/ (the Athena tables' folders).
 */
public final class SnapshotKeys {

  public static final String CSV = "case_list.csv";
  public static final String PARQUET = "case_list.parquet";

  private SnapshotKeys() {}

  public static String root(String prefix) {
    return (prefix.isEmpty() ? "" : prefix + "/") + "case_list/";
  }

  /** {@code <prefix>/case_list/snapshot=20261126T143000Z/}: ISO-8601 basic, UTC. */
  public static String snapshotFolder(String prefix, Instant at) {
    return root(prefix) + "snapshot=" + Timestamps.basic(at) + "/";
  }

  /** The latest CSV alone in its folder, as the seed's Athena table expects. */
  public static String latestCsvFolder(String prefix) {
    return root(prefix) + "latest/";
  }

  /** The latest Parquet in a folder of its own: an Athena table reads every file of its folder. */
  public static String latestParquetFolder(String prefix) {
    return root(prefix) + "latest_parquet/";
  }
}
