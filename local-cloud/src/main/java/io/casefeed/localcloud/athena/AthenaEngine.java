package io.casefeed.localcloud.athena;

import io.casefeed.localcloud.athena.AthenaStatement.CreateDatabase;
import io.casefeed.localcloud.athena.AthenaStatement.CreateTable;
import io.casefeed.localcloud.athena.AthenaStatement.CreateView;
import io.casefeed.localcloud.athena.AthenaStatement.Drop;
import io.casefeed.localcloud.athena.AthenaStatement.Query;
import io.casefeed.localcloud.athena.ExternalTable.HiveColumn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Athena's catalog and engine in an embedded DuckDB: databases are DuckDB schemas, views are DuckDB
 * views, and each external table is a DuckDB view over its files in the local S3 store, rebuilt
 * before every query so that it sees the objects written since (as Athena lists S3 at query time).
 * Not thread-safe: {@link AthenaApi} runs one statement at a time.
 */
final class AthenaEngine implements AutoCloseable {

  /** Athena's timestamp text in query results. */
  private static final DateTimeFormatter ATHENA_TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);

  /** A result: column names and Athena types, then rows of text (null for SQL NULL). */
  record Result(List<String> columns, List<String> types, List<List<String>> rows) {
    static final Result EMPTY = new Result(List.of(), List.of(), List.of());
  }

  private final Path s3Store;
  private final Connection duck;
  private final Map<String, ExternalTable> tables = new LinkedHashMap<>();
  private final Set<String> views = new HashSet<>();

  /** @param s3Store the local S3 stand-in's folder: one folder per bucket, one file per object */
  AthenaEngine(Path s3Store) {
    this.s3Store = s3Store.toAbsolutePath().normalize();
    try {
      duck = DriverManager.getConnection("jdbc:duckdb:");
      try (Statement statement = duck.createStatement()) {
        // Offline: the extensions used (parquet, icu) are built into the JDBC driver.
        statement.execute("SET autoinstall_known_extensions = false");
        statement.execute("SET TimeZone = 'UTC'");
        // type_pushdown moves a TRY_CAST into the CSV reader, which then casts strictly and fails the query
        // on one bad value; Hive reads such a value as NULL.
        statement.execute("SET disabled_optimizers = 'type_pushdown'");
        statement.execute("CREATE SCHEMA IF NOT EXISTS \"default\"");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot start DuckDB for the Athena stand-in: " + e.getMessage(), e);
    }
  }

  /** Runs one statement; a refusal or a DuckDB error comes back as a {@link HiveDdlException} with the reason. */
  Result execute(AthenaStatement statement, String database) {
    try {
      if (statement instanceof CreateDatabase create) {
        return createDatabase(create);
      } else if (statement instanceof CreateTable create) {
        return createTable(create);
      } else if (statement instanceof CreateView create) {
        return createView(create, database);
      } else if (statement instanceof Drop drop) {
        return drop(drop);
      }
      return query((Query) statement, database);
    } catch (SQLException e) {
      throw new HiveDdlException(duckDbMessage(e));
    }
  }

  private Result createDatabase(CreateDatabase create) throws SQLException {
    if (databaseExists(create.name())) {
      if (create.ifNotExists()) {
        return Result.EMPTY;
      }
      throw new HiveDdlException("Database " + create.name() + " already exists");
    }
    run("CREATE SCHEMA " + quote(create.name()));
    return Result.EMPTY;
  }

  private Result createTable(CreateTable create) throws SQLException {
    ExternalTable table = create.table();
    requireDatabase(table.database());
    String key = table.qualifiedName();
    if (tables.containsKey(key) || views.contains(key)) {
      if (create.ifNotExists() && tables.containsKey(key)) {
        // As in Athena, the table keeps its first definition: IF NOT EXISTS changes nothing.
        return Result.EMPTY;
      }
      throw new HiveDdlException("AlreadyExistsException: Table " + key + " already exists");
    }
    tables.put(key, table);
    run("CREATE OR REPLACE VIEW " + quote(table.database(), table.name()) + " AS " + empty(table));
    return Result.EMPTY;
  }

  private Result createView(CreateView create, String database) throws SQLException {
    requireDatabase(create.database());
    String key = create.database() + "." + create.name();
    if (tables.containsKey(key)) {
      throw new HiveDdlException(key + " is a table, not a view");
    }
    if (views.contains(key) && !create.orReplace()) {
      throw new HiveDdlException("View " + key + " already exists");
    }
    refreshTables();
    use(database);
    run("CREATE OR REPLACE VIEW " + quote(create.database(), create.name()) + " AS " + create.select());
    views.add(key);
    return Result.EMPTY;
  }

  private Result drop(Drop drop) throws SQLException {
    switch (drop.kind()) {
      case DATABASE -> {
        if (!databaseExists(drop.database())) {
          return missing(drop.ifExists(), "Database does not exist: " + drop.database());
        }
        String prefix = drop.database() + ".";
        boolean empty = Stream.concat(tables.keySet().stream(), views.stream()).noneMatch(k -> k.startsWith(prefix));
        if (!empty && !drop.cascade()) {
          throw new HiveDdlException("Database " + drop.database() + " is not empty: drop its tables and views first, or add CASCADE");
        }
        tables.keySet().removeIf(k -> k.startsWith(prefix));
        views.removeIf(k -> k.startsWith(prefix));
        run("DROP SCHEMA " + quote(drop.database()) + " CASCADE");
      }
      case TABLE, VIEW -> {
        String key = drop.database() + "." + drop.name();
        boolean isTable = tables.containsKey(key);
        boolean isView = views.contains(key);
        if (!isTable && !isView) {
          return missing(drop.ifExists(), (drop.kind() == AthenaStatement.DropKind.TABLE ? "Table" : "View") + " not found: " + key);
        }
        if (drop.kind() == AthenaStatement.DropKind.VIEW && isTable) {
          throw new HiveDdlException(key + " is a table: use DROP TABLE");
        }
        tables.remove(key);
        views.remove(key);
        run("DROP VIEW IF EXISTS " + quote(drop.database(), drop.name()));
      }
      default -> throw new IllegalStateException("unknown drop " + drop.kind());
    }
    return Result.EMPTY;
  }

  private static Result missing(boolean ifExists, String message) {
    if (ifExists) {
      return Result.EMPTY;
    }
    throw new HiveDdlException(message);
  }

  private Result query(Query query, String database) throws SQLException {
    refreshTables();
    use(database);
    try (Statement statement = duck.createStatement(); ResultSet results = statement.executeQuery(query.sql())) {
      ResultSetMetaData meta = results.getMetaData();
      List<String> columns = new ArrayList<>();
      List<String> types = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        columns.add(meta.getColumnLabel(i));
        types.add(HiveTypes.athena(meta.getColumnTypeName(i)));
      }
      List<List<String>> rows = new ArrayList<>();
      while (results.next()) {
        List<String> row = new ArrayList<>(columns.size());
        for (int i = 1; i <= columns.size(); i++) {
          row.add(text(results, i, types.get(i - 1)));
        }
        rows.add(row);
      }
      return new Result(columns, types, rows);
    }
  }

  /** A value as Athena's results print it. */
  private static String text(ResultSet results, int column, String athenaType) throws SQLException {
    Object value = results.getObject(column);
    if (value == null) {
      return null;
    }
    if (athenaType.equals("timestamp")) {
      return ATHENA_TIMESTAMP.format(results.getObject(column, LocalDateTime.class));
    }
    if (athenaType.equals("timestamp with time zone")) {
      return ATHENA_TIMESTAMP.format(results.getObject(column, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC)) + " UTC";
    }
    return results.getString(column);
  }

  /** Points each table's DuckDB view at the files its location holds now. */
  private void refreshTables() throws SQLException {
    for (ExternalTable table : tables.values()) {
      List<Path> files = files(table);
      String select;
      if (files.isEmpty()) {
        select = empty(table);
      } else if (table.format() instanceof ExternalTable.Text text) {
        select = textSelect(table, text, files);
      } else {
        select = parquetSelect(table, files);
      }
      run("CREATE OR REPLACE VIEW " + quote(table.database(), table.name()) + " AS " + select);
    }
  }

  /**
   * The table's data files, as Athena picks them: every object under the location but those whose
   * name (or folder) starts with '_' or '.', and for a partitioned table only those in Hive-style
   * partition folders.
   */
  List<Path> files(ExternalTable table) {
    String location = table.location().substring("s3://".length());
    Path root = s3Store.resolve(location).normalize();
    if (!root.startsWith(s3Store) || !Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).filter(file -> readable(table, root.relativize(file))).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
    }
  }

  private static boolean readable(ExternalTable table, Path relative) {
    for (Path segment : relative) {
      String name = segment.toString();
      if (name.startsWith("_") || name.startsWith(".")) {
        return false;
      }
    }
    List<HiveColumn> partitions = table.partitionColumns();
    if (relative.getNameCount() <= partitions.size()) {
      return false;
    }
    for (int i = 0; i < partitions.size(); i++) {
      if (!relative.getName(i).toString().startsWith(partitions.get(i).name() + "=")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parquet columns are matched by name, case-insensitively, as Athena does; a column that the files
   * lack (written before the column was added) reads as NULL.
   */
  private String parquetSelect(ExternalTable table, List<Path> files) throws SQLException {
    String source = "read_parquet(" + fileList(files) + ", union_by_name = true"
        + (table.partitionColumns().isEmpty() ? ", hive_partitioning = false" : ", hive_partitioning = true, hive_types_autocast = false")
        + ")";
    Map<String, String> present = new HashMap<>();
    try (Statement statement = duck.createStatement(); ResultSet described = statement.executeQuery("DESCRIBE SELECT * FROM " + source)) {
      while (described.next()) {
        String name = described.getString("column_name");
        present.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
      }
    }
    List<String> select = new ArrayList<>();
    for (HiveColumn column : table.columns()) {
      String actual = present.get(column.name());
      select.add((actual == null ? "NULL" : quote(actual)) + "::" + HiveTypes.duckDb(column) + " AS " + quote(column.name()));
    }
    for (HiveColumn column : table.partitionColumns()) {
      select.add("TRY_CAST(" + quote(column.name()) + " AS " + HiveTypes.duckDb(column) + ") AS " + quote(column.name()));
    }
    return "SELECT " + String.join(", ", select) + " FROM " + source;
  }

  /**
   * Text files by position. OpenCSVSerde reads every field as a string, an empty one as an empty
   * string, not NULL; a quote inside a quoted field is read doubled (RFC 4180). LazySimpleSerDe reads
   * {@code \N} as NULL and a value that does not parse as the column's type as NULL.
   */
  private String textSelect(ExternalTable table, ExternalTable.Text text, List<Path> files) {
    List<HiveColumn> columns = table.columns();
    String names = columns.stream().map(c -> sqlString(c.name()) + ": 'VARCHAR'").collect(Collectors.joining(", "));
    String source = "read_csv(" + fileList(files) + ", header = false, skip = " + table.skipHeaderLines()
        + ", delim = " + sqlString(String.valueOf(text.separator()))
        + (text.quote() == '\0' ? ", quote = ''" : ", quote = " + sqlString(String.valueOf(text.quote())) + ", escape = "
            + sqlString(String.valueOf(text.quote())))
        + ", columns = {" + names + "}, auto_detect = false, null_padding = true, ignore_errors = false"
        + (text.allStrings() ? "" : ", nullstr = '\\N'")
        + (table.partitionColumns().isEmpty() ? ", hive_partitioning = false" : ", hive_partitioning = true, hive_types_autocast = false")
        + ")";
    List<String> select = new ArrayList<>();
    for (HiveColumn column : columns) {
      String type = HiveTypes.duckDb(column);
      String value = text.allStrings() ? "COALESCE(" + quote(column.name()) + ", '')" : quote(column.name());
      select.add((type.equals("VARCHAR") ? value : "TRY_CAST(" + value + " AS " + type + ")") + " AS " + quote(column.name()));
    }
    for (HiveColumn column : table.partitionColumns()) {
      select.add("TRY_CAST(" + quote(column.name()) + " AS " + HiveTypes.duckDb(column) + ") AS " + quote(column.name()));
    }
    return "SELECT " + String.join(", ", select) + " FROM " + source;
  }

  /** The table's columns with no rows: a location without files is an empty table, not an error. */
  private static String empty(ExternalTable table) {
    return "SELECT " + Stream.concat(table.columns().stream(), table.partitionColumns().stream())
        .map(c -> "NULL::" + HiveTypes.duckDb(c) + " AS " + quote(c.name())).collect(Collectors.joining(", ")) + " WHERE false";
  }

  private void use(String database) throws SQLException {
    requireDatabase(database);
    run("USE " + quote(database));
  }

  private void requireDatabase(String database) throws SQLException {
    if (!databaseExists(database)) {
      throw new HiveDdlException("SemanticException: Database does not exist: " + database);
    }
  }

  private boolean databaseExists(String name) throws SQLException {
    try (var statement = duck.prepareStatement(
        "SELECT 1 FROM information_schema.schemata WHERE catalog_name = current_database() AND schema_name = ?")) {
      statement.setString(1, name);
      try (ResultSet found = statement.executeQuery()) {
        return found.next();
      }
    }
  }

  private void run(String sql) throws SQLException {
    try (Statement statement = duck.createStatement()) {
      statement.execute(sql);
    }
  }

  private static String fileList(List<Path> files) {
    return files.stream().map(f -> sqlString(f.toString())).collect(Collectors.joining(", ", "[", "]"));
  }

  private static String sqlString(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  private static String quote(String... names) {
    return Stream.of(names).map(n -> "\"" + n.replace("\"", "\"\"") + "\"").collect(Collectors.joining("."));
  }

  /** DuckDB's message without its JDBC wrapping. */
  private static String duckDbMessage(SQLException e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return message.strip();
  }

  @Override
  public void close() {
    try {
      duck.close();
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB did not close: " + e.getMessage(), e);
    }
  }
}
