package io.casefeed.localcloud.athena;

import io.casefeed.localcloud.athena.ExternalTable.HiveColumn;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Hive's column types in DuckDB, and DuckDB's result types in Athena's (Trino's) names. */
final class HiveTypes {

  private static final Pattern DECIMAL = Pattern.compile("decimal(?:\\((\\d+)(?:,(\\d+))?\\))?");
  private static final Pattern SIZED_TEXT = Pattern.compile("(?:varchar|char)\\(\\d+\\)");

  private HiveTypes() {
  }

  /** The DuckDB type a Hive column is read as; complex types are refused. */
  static String duckDb(HiveColumn column) {
    String type = column.hiveType().toLowerCase(Locale.ROOT);
    Matcher decimal = DECIMAL.matcher(type);
    if (decimal.matches()) {
      // Hive's bare decimal is decimal(10,0).
      String precision = decimal.group(1) == null ? "10" : decimal.group(1);
      String scale = decimal.group(2) == null ? "0" : decimal.group(2);
      return "DECIMAL(" + precision + "," + scale + ")";
    }
    if (SIZED_TEXT.matcher(type).matches()) {
      return "VARCHAR";
    }
    return switch (type) {
      case "string", "varchar", "char" -> "VARCHAR";
      case "tinyint" -> "TINYINT";
      case "smallint" -> "SMALLINT";
      case "int", "integer" -> "INTEGER";
      case "bigint" -> "BIGINT";
      case "float" -> "FLOAT";
      case "double" -> "DOUBLE";
      case "boolean" -> "BOOLEAN";
      case "date" -> "DATE";
      case "timestamp" -> "TIMESTAMP";
      case "binary" -> "BLOB";
      default -> throw new HiveDdlException("column '" + column.name() + "': type " + column.hiveType()
          + " is not supported by the stand-in (primitive types only, no array, map or struct)");
    };
  }

  /** The type Athena names in ResultSetMetadata for a DuckDB result column type. */
  static String athena(String duckDbType) {
    String type = duckDbType.toUpperCase(Locale.ROOT);
    if (type.startsWith("DECIMAL")) {
      return "decimal";
    }
    return switch (type) {
      case "VARCHAR" -> "varchar";
      case "TINYINT" -> "tinyint";
      case "SMALLINT" -> "smallint";
      case "INTEGER" -> "integer";
      // DuckDB widens sum(bigint) to HUGEINT; Athena answers bigint.
      case "BIGINT", "HUGEINT", "UBIGINT", "UINTEGER" -> "bigint";
      case "FLOAT" -> "real";
      case "DOUBLE" -> "double";
      case "BOOLEAN" -> "boolean";
      case "DATE" -> "date";
      case "TIMESTAMP", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP_S" -> "timestamp";
      case "TIMESTAMP WITH TIME ZONE" -> "timestamp with time zone";
      case "BLOB" -> "varbinary";
      default -> type.toLowerCase(Locale.ROOT);
    };
  }
}
