package io.casefeed.sink.testing;

import io.casefeed.sink.history.HistoryKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Reads what the sink wrote straight from S3, independently of the sink's own code paths. */
public final class History {

  /** One history object: its key and the offsets its metadata claims. */
  public record ObjectRange(String key, int partition, long start, long end) {}

  /** One row read back with parquet-avro. */
  public record Row(String key, int partition, long offset, String eventId, String subject) {}

  private History() {}

  public static List<ObjectRange> ranges(S3Client s3, String bucket, String prefix) {
    List<ObjectRange> ranges = new ArrayList<>();
    for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(HistoryKeys.root(prefix))).contents()) {
      if (!object.key().endsWith(".parquet")) {
        continue;
      }
      Map<String, String> metadata = s3.headObject(b -> b.bucket(bucket).key(object.key())).metadata();
      ranges.add(new ObjectRange(object.key(), Integer.parseInt(metadata.get(HistoryKeys.PARTITION)),
          Long.parseLong(metadata.get(HistoryKeys.START_OFFSET)), Long.parseLong(metadata.get(HistoryKeys.END_OFFSET))));
    }
    return ranges;
  }

  public static List<Row> rows(S3Client s3, String bucket, String prefix, Path scratch) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(HistoryKeys.root(prefix))).contents()) {
      if (!object.key().endsWith(".parquet")) {
        continue;
      }
      Path local = scratch.resolve(object.key().replace('/', '_'));
      try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(object.key()))) {
        Files.copy(in, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(local), new PlainParquetConfiguration()).build()) {
        for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
          rows.add(new Row(object.key(), (Integer) record.get("kafka_partition"), (Long) record.get("kafka_offset"),
              record.get("event_id").toString(), record.get("subject") == null ? null : record.get("subject").toString()));
        }
      }
    }
    return rows;
  }

  /** Partition to its objects' ranges, in start order. */
  public static Map<Integer, List<ObjectRange>> byPartition(List<ObjectRange> ranges) {
    Map<Integer, List<ObjectRange>> result = new TreeMap<>();
    for (ObjectRange range : ranges) {
      result.computeIfAbsent(range.partition(), p -> new ArrayList<>()).add(range);
    }
    result.values().forEach(list -> list.sort(java.util.Comparator.comparingLong(ObjectRange::start)));
    return result;
  }

  /** Whether the objects of one partition cover exactly offsets [0, upTo) with no gap and no overlap. */
  public static boolean coversContiguously(List<ObjectRange> partitionRanges, long upTo) {
    long next = 0;
    for (ObjectRange range : partitionRanges) {
      if (range.start() != next) {
        return false;
      }
      next = range.end() + 1;
    }
    return next >= upTo;
  }
}
