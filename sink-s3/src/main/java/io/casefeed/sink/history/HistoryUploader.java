package io.casefeed.sink.history;

import io.casefeed.sink.format.ChangeRow;
import io.casefeed.sink.format.ParquetBytes;
import io.casefeed.sink.store.ObjectStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one partition's gathered records as history objects, never twice: when an object with the
 * same name exists (a replay after a crash, or an idle flush that cut differently before), its end
 * offset says which records it already holds, and only those after it are written, in a next
 * object named after the first of them.
 */
public final class HistoryUploader {

  private static final Logger LOG = LoggerFactory.getLogger(HistoryUploader.class);

  private final ObjectStore store;
  private final String prefix;
  private final boolean csv;
  private final Counter records;
  private final Counter bytes;
  private final Counter objects;
  private final Counter replays;

  public HistoryUploader(ObjectStore store, String prefix, boolean csv, MeterRegistry meters) {
    this.store = store;
    this.prefix = prefix;
    this.csv = csv;
    this.records = meters.counter("casefeed.sink.history.records");
    this.bytes = meters.counter("casefeed.sink.history.bytes");
    this.objects = meters.counter("casefeed.sink.history.objects");
    this.replays = meters.counter("casefeed.sink.history.existing.objects");
  }

  /**
   * Makes sure every row is in exactly one object.
   *
   * @param rows one partition's records of one UTC day, in offset order
   * @return the highest offset now stored for this partition (at least the last row's; more when an
   *     existing object reaches further)
   */
  public long write(String topic, int partition, String day, List<ChangeRow> rows) {
    List<ChangeRow> pending = rows;
    long storedThrough = rows.get(rows.size() - 1).offset();
    while (!pending.isEmpty()) {
      long start = pending.get(0).offset();
      long end = pending.get(pending.size() - 1).offset();
      Map<String, String> metadata = HistoryKeys.metadata(topic, partition, start, end, pending.size());
      String parquetKey = HistoryKeys.key(prefix, day, topic, partition, start, "parquet");
      // The Parquet object is the record of what is stored; the CSV twin is written first, and
      // only while no Parquet object of that name exists, so the two always hold the same rows.
      if (csv && store.metadata(parquetKey).isEmpty()) {
        byte[] csvBytes = ChangeRow.TABLE.csv(pending).getBytes(StandardCharsets.UTF_8);
        store.put(HistoryKeys.key(prefix, day, topic, partition, start, "csv"), csvBytes, "text/csv; charset=utf-8", metadata);
        bytes.increment(csvBytes.length);
        objects.increment();
      }
      byte[] parquet = ParquetBytes.write(ChangeRow.TABLE.avroSchema(), pending.stream().map(ChangeRow.TABLE::toAvro).toList());
      Optional<Map<String, String>> existing = store.createIfAbsent(parquetKey, parquet, "application/vnd.apache.parquet", metadata);
      if (existing.isEmpty()) {
        records.increment(pending.size());
        bytes.increment(parquet.length);
        objects.increment();
        LOG.debug("wrote {} ({} records, offsets {}..{})", parquetKey, pending.size(), start, end);
        return storedThrough;
      }
      long existingEnd = HistoryKeys.endOffset(parquetKey, existing.get());
      replays.increment();
      LOG.info("{} already exists with offsets {}..{}: continuing after it", parquetKey, start, existingEnd);
      storedThrough = Math.max(storedThrough, existingEnd);
      pending = pending.stream().filter(r -> r.offset() > existingEnd).toList();
    }
    return storedThrough;
  }
}
