package io.casefeed.sink.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * Writes Avro records as one Parquet file in memory. The sink's files are bounded by its rotation
 * settings, so memory is too; going through a local file would add a disk round trip for nothing.
 */
public final class ParquetBytes {

  private ParquetBytes() {}

  public static byte[] write(Schema schema, Iterable<? extends GenericRecord> records) {
    InMemoryOutputFile file = new InMemoryOutputFile();
    try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(file)
        .withSchema(schema)
        .withDataModel(GenericData.get())
        .withConf(new PlainParquetConfiguration())
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .build()) {
      for (GenericRecord record : records) {
        writer.write(record);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write Parquet: " + e.getMessage(), e);
    }
    return file.bytes.toByteArray();
  }

  private static final class InMemoryOutputFile implements OutputFile {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return stream();
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      bytes.reset();
      return stream();
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }

    private PositionOutputStream stream() {
      return new PositionOutputStream() {
        @Override
        public long getPos() {
          return bytes.size();
        }

        @Override
        public void write(int b) {
          bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          bytes.write(b, off, len);
        }
      };
    }
  }
}
