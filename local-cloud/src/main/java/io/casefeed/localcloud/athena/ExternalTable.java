package io.casefeed.localcloud.athena;

import java.util.List;

/**
 * An external table as a {@code CREATE EXTERNAL TABLE} statement declares it: its columns in Hive
 * types, its partition columns, how its files are read and where they are.
 *
 * @param location the {@code s3://bucket/prefix/} the table's files are under
 * @param skipHeaderLines {@code skip.header.line.count}
 */
record ExternalTable(String database, String name, List<HiveColumn> columns, List<HiveColumn> partitionColumns,
    FileFormat format, String location, int skipHeaderLines) {

  /** A column and its Hive type as written ({@code string}, {@code bigint}, {@code decimal(10,2)}...). */
  record HiveColumn(String name, String hiveType) {
  }

  /** How the files are read. */
  sealed interface FileFormat {
  }

  record Parquet() implements FileFormat {
  }

  /**
   * Text files: OpenCSVSerde ({@code allStrings}: every value a string, as Athena reads it, an empty
   * field an empty string) or LazySimpleSerDe (delimited; {@code \N} is NULL).
   */
  record Text(char separator, char quote, boolean allStrings) implements FileFormat {
  }

  String qualifiedName() {
    return database + "." + name;
  }
}
