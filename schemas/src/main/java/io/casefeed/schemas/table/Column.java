package io.casefeed.schemas.table;

import java.util.function.Function;

/**
 * One column of a table the sink writes, defined once for the CSV header, the Parquet schema and
 * the Athena and DuckDB DDL, so the three never disagree.
 *
 * @param csvName the CSV header name (the seed's hyphenated names come first)
 * @param sqlName the column name in Athena, DuckDB and Parquet
 * @param type how the value is stored
 * @param extractor the value from the source record; null when absent
 */
public record Column<T>(String csvName, String sqlName, ColumnType type, Function<T, Object> extractor) {

  public Object valueOf(T source) {
    return extractor.apply(source);
  }

  /** The value as CSV text: timestamps in ISO-8601 UTC, text on one line. */
  public String csvText(T source) {
    Object value = valueOf(source);
    if (value == null) {
      return null;
    }
    return switch (type) {
      case TIMESTAMP -> Timestamps.iso((Long) value);
      case STRING -> PythonCsv.singleLine((String) value);
      default -> value.toString();
    };
  }
}
