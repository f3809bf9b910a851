package io.casefeed.localcloud.athena;

import io.casefeed.localcloud.athena.AthenaStatement.CreateDatabase;
import io.casefeed.localcloud.athena.AthenaStatement.CreateTable;
import io.casefeed.localcloud.athena.AthenaStatement.CreateView;
import io.casefeed.localcloud.athena.AthenaStatement.Drop;
import io.casefeed.localcloud.athena.AthenaStatement.DropKind;
import io.casefeed.localcloud.athena.AthenaStatement.Query;
import io.casefeed.localcloud.athena.ExternalTable.HiveColumn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the statements Athena accepts into {@link AthenaStatement}s: Hive DDL for databases and
 * external tables (Parquet, OpenCSVSerde, LazySimpleSerDe; partitions in Hive-style folders, with or
 * without partition projection), views and queries in Athena's SQL, which DuckDB runs as written.
 * Nothing here knows whose tables they are: it is Hive DDL in general, not casefeed's.
 * Anything else is refused with the reason, which Athena reports as the query's StateChangeReason.
 */
final class HiveDdl {

  static final String OPEN_CSV_SERDE = "org.apache.hadoop.hive.serde2.OpenCSVSerde";
  static final String LAZY_SIMPLE_SERDE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";
  static final String PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";
  /** Hive's default field separator of delimited text, Ctrl-A. */
  private static final char CTRL_A = '\u0001';
  private static final String NAME = "(?:\"[^\"]+\"|`[^`]+`|[A-Za-z0-9_]+)";
  private static final Pattern VIEW = Pattern.compile(
      "CREATE\\s+(OR\\s+REPLACE\\s+)?VIEW\\s+(" + NAME + ")(?:\\s*\\.\\s*(" + NAME + "))?\\s+AS\\s+(.+)",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern LEADING_COMMENTS = Pattern.compile("\\A(?:\\s*--[^\\n]*(?:\\n|\\z))*\\s*");

  private HiveDdl() {
  }

  /** @param database the query's database (QueryExecutionContext), for names without one */
  static AthenaStatement parse(String sql, String database) {
    String text = LEADING_COMMENTS.matcher(sql).replaceFirst("").strip();
    while (text.endsWith(";")) {
      text = text.substring(0, text.length() - 1).stripTrailing();
    }
    if (text.isEmpty()) {
      throw new HiveDdlException("the query is empty");
    }
    SqlTokens tokens = SqlTokens.of(text);
    SqlTokens.Token first = tokens.peek();
    if (first.is("SELECT") || first.is("WITH") || first.is("VALUES") || first.isPunct("(")) {
      return new Query(text);
    }
    if (tokens.accept("CREATE", "EXTERNAL", "TABLE")) {
      return createTable(tokens, database);
    }
    if (tokens.accept("CREATE", "DATABASE") || tokens.accept("CREATE", "SCHEMA")) {
      boolean ifNotExists = tokens.accept("IF", "NOT", "EXISTS");
      String name = tokens.name();
      skipDatabaseOptions(tokens);
      return new CreateDatabase(name, ifNotExists);
    }
    if (tokens.accept("CREATE", "VIEW") || tokens.accept("CREATE", "OR", "REPLACE", "VIEW")) {
      Matcher view = VIEW.matcher(text);
      if (!view.matches()) {
        throw new HiveDdlException("expected CREATE [OR REPLACE] VIEW name AS query");
      }
      String second = view.group(3);
      return new CreateView(second == null ? database : unquote(view.group(2)), unquote(second == null ? view.group(2) : second),
          view.group(1) != null, view.group(4).strip());
    }
    if (tokens.accept("DROP")) {
      return drop(tokens, database);
    }
    if (tokens.accept("CREATE", "TABLE")) {
      throw new HiveDdlException("CREATE TABLE (managed tables, CREATE TABLE AS) is not supported by the stand-in:"
          + " only CREATE EXTERNAL TABLE over S3");
    }
    throw new HiveDdlException("the stand-in does not support " + leadingWords(text) + " statements; it runs CREATE DATABASE,"
        + " CREATE EXTERNAL TABLE (Parquet, OpenCSVSerde, LazySimpleSerDe), CREATE [OR REPLACE] VIEW, DROP TABLE/VIEW/DATABASE"
        + " and SELECT/WITH queries");
  }

  private static void skipDatabaseOptions(SqlTokens tokens) {
    while (!tokens.atEnd()) {
      if (tokens.accept("COMMENT") || tokens.accept("LOCATION")) {
        tokens.string();
      } else if (tokens.accept("WITH", "DBPROPERTIES")) {
        properties(tokens);
      } else {
        throw unexpected(tokens);
      }
    }
  }

  private static AthenaStatement createTable(SqlTokens tokens, String defaultDatabase) {
    boolean ifNotExists = tokens.accept("IF", "NOT", "EXISTS");
    String[] name = qualifiedName(tokens, defaultDatabase);
    List<HiveColumn> columns = columns(tokens);
    List<HiveColumn> partitions = List.of();
    String serde = null;
    Map<String, String> serdeProperties = Map.of();
    Character delimiter = null;
    String storedAs = null;
    String location = null;
    Map<String, String> tableProperties = Map.of();
    while (!tokens.atEnd()) {
      if (tokens.accept("COMMENT")) {
        tokens.string();
      } else if (tokens.accept("PARTITIONED", "BY")) {
        partitions = columns(tokens);
      } else if (tokens.accept("ROW", "FORMAT", "SERDE")) {
        serde = tokens.string();
        if (tokens.accept("WITH", "SERDEPROPERTIES")) {
          serdeProperties = properties(tokens);
        }
      } else if (tokens.accept("ROW", "FORMAT", "DELIMITED")) {
        serde = LAZY_SIMPLE_SERDE;
        delimiter = delimited(tokens);
      } else if (tokens.accept("STORED", "AS", "INPUTFORMAT")) {
        throw new HiveDdlException("STORED AS INPUTFORMAT ... OUTPUTFORMAT is not supported by the stand-in: use STORED AS PARQUET or TEXTFILE");
      } else if (tokens.accept("STORED", "AS")) {
        storedAs = tokens.name();
      } else if (tokens.accept("LOCATION")) {
        location = tokens.string();
      } else if (tokens.accept("TBLPROPERTIES")) {
        tableProperties = properties(tokens);
      } else if (tokens.accept("CLUSTERED", "BY")) {
        throw new HiveDdlException("bucketed tables (CLUSTERED BY) are not supported by the stand-in");
      } else {
        throw unexpected(tokens);
      }
    }
    if (location == null) {
      throw new HiveDdlException("an external table needs a LOCATION 's3://bucket/prefix/'");
    }
    if (!location.startsWith("s3://") || location.length() <= "s3://".length()) {
      throw new HiveDdlException("LOCATION must be an s3:// URI, not '" + location + "'");
    }
    checkColumns(columns, partitions);
    ExternalTable.FileFormat format = format(storedAs, serde, serdeProperties, delimiter);
    checkPartitionLayout(tableProperties, location, partitions);
    int skip = 0;
    String skipHeader = tableProperties.get("skip.header.line.count");
    if (skipHeader != null) {
      try {
        skip = Integer.parseInt(skipHeader.strip());
      } catch (NumberFormatException e) {
        throw new HiveDdlException("skip.header.line.count must be a number, not '" + skipHeader + "'");
      }
    }
    return new CreateTable(new ExternalTable(name[0], name[1], columns, partitions, format,
        location.endsWith("/") ? location : location + "/", skip), ifNotExists);
  }

  private static ExternalTable.FileFormat format(String storedAs, String serde, Map<String, String> serdeProperties, Character delimiter) {
    if (serde != null) {
      switch (serde) {
        case OPEN_CSV_SERDE -> {
          return new ExternalTable.Text(single(serdeProperties, "separatorChar", ','), single(serdeProperties, "quoteChar", '"'), true);
        }
        case LAZY_SIMPLE_SERDE -> {
          char separator = delimiter != null ? delimiter
              : single(serdeProperties, "field.delim", single(serdeProperties, "serialization.format", CTRL_A));
          return new ExternalTable.Text(separator, '\0', false);
        }
        case PARQUET_SERDE -> {
          return new ExternalTable.Parquet();
        }
        default -> throw new HiveDdlException("SerDe '" + serde + "' is not supported by the stand-in (supported: "
            + OPEN_CSV_SERDE + ", " + LAZY_SIMPLE_SERDE + ", " + PARQUET_SERDE + ")");
      }
    }
    if (storedAs == null || storedAs.equals("textfile")) {
      return new ExternalTable.Text(CTRL_A, '\0', false);
    }
    if (storedAs.equals("parquet")) {
      return new ExternalTable.Parquet();
    }
    throw new HiveDdlException("STORED AS " + storedAs.toUpperCase(Locale.ROOT) + " is not supported by the stand-in (supported: PARQUET, TEXTFILE)");
  }

  private static char single(Map<String, String> properties, String key, char fallback) {
    String value = properties.get(key);
    if (value == null) {
      return fallback;
    }
    if (value.length() != 1) {
      throw new HiveDdlException("SERDEPROPERTIES '" + key + "' must be one character, not '" + value + "'");
    }
    return value.charAt(0);
  }

  /**
   * Partitions are read from Hive-style folders ({@code col=value/}): what MSCK REPAIR TABLE would find, or what
   * partition projection with that storage template addresses. Other templates would need projection itself.
   */
  private static void checkPartitionLayout(Map<String, String> properties, String location, List<HiveColumn> partitions) {
    String template = properties.get("storage.location.template");
    if (template == null) {
      return;
    }
    StringBuilder hiveStyle = new StringBuilder(location.endsWith("/") ? location : location + "/");
    for (HiveColumn column : partitions) {
      hiveStyle.append(column.name()).append("=${").append(column.name()).append("}/");
    }
    String expected = hiveStyle.toString();
    if (!template.equals(expected) && !(template + "/").equals(expected)) {
      throw new HiveDdlException("storage.location.template '" + template + "' is not supported by the stand-in: it reads"
          + " partitions from Hive-style folders only ('" + expected + "')");
    }
  }

  private static void checkColumns(List<HiveColumn> columns, List<HiveColumn> partitions) {
    List<String> seen = new ArrayList<>();
    for (HiveColumn column : concat(columns, partitions)) {
      if (seen.contains(column.name())) {
        throw new HiveDdlException("column '" + column.name() + "' is declared twice");
      }
      seen.add(column.name());
      HiveTypes.duckDb(column);
    }
  }

  private static List<HiveColumn> concat(List<HiveColumn> a, List<HiveColumn> b) {
    List<HiveColumn> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** {@code ( name type [COMMENT 'text'], ... )}; a type is everything up to the next top-level comma. */
  private static List<HiveColumn> columns(SqlTokens tokens) {
    tokens.expectPunct("(");
    List<HiveColumn> columns = new ArrayList<>();
    while (true) {
      String name = tokens.name();
      StringBuilder type = new StringBuilder();
      int depth = 0;
      while (true) {
        SqlTokens.Token token = tokens.peek();
        if (token == null) {
          throw new HiveDdlException("the column list is not closed");
        }
        if (depth == 0 && (token.isPunct(",") || token.isPunct(")") || token.is("COMMENT"))) {
          break;
        }
        if (token.isPunct("(") || token.isPunct("<")) {
          depth++;
        } else if (token.isPunct(")") || token.isPunct(">")) {
          depth--;
        }
        type.append(token.kind() == SqlTokens.Kind.WORD ? token.text().toLowerCase(Locale.ROOT) : token.text());
        if (token.isPunct(":")) {
          type.append(' ');
        }
        tokens.take();
      }
      if (type.isEmpty()) {
        throw new HiveDdlException("column '" + name + "' has no type");
      }
      if (tokens.accept("COMMENT")) {
        tokens.string();
      }
      columns.add(new HiveColumn(name, type.toString()));
      if (tokens.acceptPunct(")")) {
        return columns;
      }
      tokens.expectPunct(",");
    }
  }

  /** {@code ('key' = 'value', ...)}. */
  private static Map<String, String> properties(SqlTokens tokens) {
    tokens.expectPunct("(");
    Map<String, String> properties = new LinkedHashMap<>();
    if (tokens.acceptPunct(")")) {
      return properties;
    }
    while (true) {
      String key = tokens.string();
      tokens.expectPunct("=");
      properties.put(key, tokens.string());
      if (tokens.acceptPunct(")")) {
        return properties;
      }
      tokens.expectPunct(",");
    }
  }

  /** ROW FORMAT DELIMITED's clauses; only the field separator matters to reading. */
  private static Character delimited(SqlTokens tokens) {
    Character fields = null;
    while (true) {
      if (tokens.accept("FIELDS", "TERMINATED", "BY")) {
        String value = tokens.string();
        if (value.length() != 1) {
          throw new HiveDdlException("FIELDS TERMINATED BY must be one character, not '" + value + "'");
        }
        fields = value.charAt(0);
        if (tokens.accept("ESCAPED", "BY")) {
          tokens.string();
        }
      } else if (tokens.accept("LINES", "TERMINATED", "BY")) {
        String value = tokens.string();
        if (!value.equals("\n") && !value.equals("n")) {
          throw new HiveDdlException("LINES TERMINATED BY other than '\\n' is not supported (nor by Athena)");
        }
      } else if (tokens.accept("COLLECTION", "ITEMS", "TERMINATED", "BY") || tokens.accept("MAP", "KEYS", "TERMINATED", "BY")
          || tokens.accept("NULL", "DEFINED", "AS")) {
        tokens.string();
      } else {
        return fields;
      }
    }
  }

  private static AthenaStatement drop(SqlTokens tokens, String defaultDatabase) {
    DropKind kind;
    if (tokens.accept("TABLE")) {
      kind = DropKind.TABLE;
    } else if (tokens.accept("VIEW")) {
      kind = DropKind.VIEW;
    } else if (tokens.accept("DATABASE") || tokens.accept("SCHEMA")) {
      kind = DropKind.DATABASE;
    } else {
      throw new HiveDdlException("the stand-in drops TABLE, VIEW or DATABASE only, not " + SqlTokens.describe(tokens.peek()));
    }
    boolean ifExists = tokens.accept("IF", "EXISTS");
    String database;
    String name;
    if (kind == DropKind.DATABASE) {
      database = tokens.name();
      name = null;
    } else {
      String[] qualified = qualifiedName(tokens, defaultDatabase);
      database = qualified[0];
      name = qualified[1];
    }
    boolean cascade = tokens.accept("CASCADE");
    if (!cascade) {
      tokens.accept("RESTRICT");
    }
    if (!tokens.atEnd()) {
      throw unexpected(tokens);
    }
    return new Drop(kind, database, name, ifExists, cascade);
  }

  private static String[] qualifiedName(SqlTokens tokens, String defaultDatabase) {
    String first = tokens.name();
    if (tokens.acceptPunct(".")) {
      return new String[] {first, tokens.name()};
    }
    return new String[] {defaultDatabase, first};
  }

  private static String unquote(String name) {
    boolean quoted = name.length() >= 2 && (name.startsWith("\"") || name.startsWith("`"));
    return (quoted ? name.substring(1, name.length() - 1) : name).toLowerCase(Locale.ROOT);
  }

  private static HiveDdlException unexpected(SqlTokens tokens) {
    return new HiveDdlException("unexpected " + SqlTokens.describe(tokens.peek()) + " (the stand-in reads COMMENT, PARTITIONED BY,"
        + " ROW FORMAT, STORED AS, LOCATION and TBLPROPERTIES)");
  }

  private static String leadingWords(String text) {
    String[] words = text.split("\\s+", 3);
    return (words.length >= 2 ? words[0] + " " + words[1] : words[0]).toUpperCase(Locale.ROOT);
  }
}
