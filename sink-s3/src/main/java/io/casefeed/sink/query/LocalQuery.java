package io.casefeed.sink.query;

import io.casefeed.sink.views.PivotViews;
import io.casefeed.schemas.table.CaseListCsv;
import io.casefeed.sink.accounts.AccountsKeys;
import io.casefeed.sink.format.AccountRow;
import io.casefeed.sink.format.ChangeRow;
import io.casefeed.schemas.table.Column;
import io.casefeed.schemas.table.Table;
import io.casefeed.sink.history.HistoryKeys;
import io.casefeed.sink.snapshot.SnapshotKeys;
import io.casefeed.sink.store.ObjectStore;
import io.casefeed.sink.store.ObjectStore.StoredObject;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Athena's tables and views in an embedded DuckDB, offline: the sink's objects are downloaded
 * through the S3 API into a local cache (DuckDB here cannot fetch its httpfs extension), then the
 * same table names and the same view SQL as {@code casefeed athena-ddl} are set up over them.
 */
public final class LocalQuery {

  private static final Logger LOG = LoggerFactory.getLogger(LocalQuery.class);

  private final ObjectStore store;
  private final String prefix;
  private final Path cache;
  private final List<String> refusedKeys = new ArrayList<>();

  public LocalQuery(ObjectStore store, String prefix, Path cache) {
    this.store = store;
    this.prefix = prefix;
    this.cache = cache.toAbsolutePath().normalize();
  }

  public record Result(List<String> columns, List<List<Object>> rows) {}

  /**
   * Brings the cache up to date: history objects are immutable, so only new ones are fetched; the
   * latest case list and the accounts table are fetched every time.
   */
  public void sync() {
    for (StoredObject object : store.list(HistoryKeys.root(prefix))) {
      if (!object.key().endsWith(".parquet")) {
        continue;
      }
      if (!safeKey(object.key())) {
        // Whoever can write under the history prefix must not be able to plant files outside the cache.
        refusedKeys.add(object.key());
        LOG.warn("Skipped S3 object {}: its key would leave the local cache {}", printable(object.key()), cache);
        continue;
      }
      Path local = local(object.key());
      if (!sameSize(local, object.size())) {
        store.download(object.key(), local);
      }
    }
    for (String key : List.of(SnapshotKeys.latestCsvFolder(prefix) + SnapshotKeys.CSV,
        SnapshotKeys.latestParquetFolder(prefix) + SnapshotKeys.PARQUET, AccountsKeys.parquet(prefix))) {
      if (store.metadata(key).isPresent()) {
        store.download(key, local(key));
      }
    }
  }

  /** The history keys that {@link #sync()} refused because they would resolve outside the cache. */
  public List<String> refusedKeys() {
    return List.copyOf(refusedKeys);
  }

  /** Runs one SQL statement against the tables and views. */
  public Result run(String sql) throws SQLException {
    try (Connection connection = open(); Statement statement = connection.createStatement();
        ResultSet results = statement.executeQuery(sql)) {
      ResultSetMetaData meta = results.getMetaData();
      List<String> columns = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        columns.add(meta.getColumnLabel(i));
      }
      List<List<Object>> rows = new ArrayList<>();
      while (results.next()) {
        List<Object> row = new ArrayList<>(columns.size());
        for (int i = 1; i <= columns.size(); i++) {
          row.add(results.getObject(i));
        }
        rows.add(row);
      }
      return new Result(columns, rows);
    }
  }

  /** An in-memory DuckDB with the tables and views set up over the cache. */
  public Connection open() throws SQLException {
    Connection connection = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET autoinstall_known_extensions = false");
      statement.execute("SET TimeZone = 'UTC'");
      Path changes = local(HistoryKeys.root(prefix));
      statement.execute("CREATE VIEW case_changes AS " + (hasFiles(changes, ".parquet")
          ? "SELECT * FROM read_parquet('" + sqlPath(changes) + "/**/*.parquet', hive_partitioning = true, hive_types = {'dt': VARCHAR})"
          : emptySelect(ChangeRow.TABLE) + ", CAST(NULL AS VARCHAR) AS dt WHERE false"));
      Path csv = local(SnapshotKeys.latestCsvFolder(prefix) + SnapshotKeys.CSV);
      String csvNames = CaseListCsv.TABLE.columns().stream().map(c -> "'" + c.sqlName() + "'").collect(Collectors.joining(", "));
      statement.execute("CREATE VIEW case_list AS " + (Files.exists(csv)
          ? "SELECT * FROM read_csv('" + sqlPath(csv) + "', header = true, all_varchar = true, quote = '\"', escape = '\"', names = ["
              + csvNames + "])"
          : allStringsSelect(CaseListCsv.TABLE) + " WHERE false"));
      Path parquet = local(SnapshotKeys.latestParquetFolder(prefix) + SnapshotKeys.PARQUET);
      statement.execute("CREATE VIEW case_list_parquet AS " + (Files.exists(parquet)
          ? "SELECT * FROM read_parquet('" + sqlPath(parquet) + "')"
          : emptySelect(CaseListCsv.TABLE) + " WHERE false"));
      Path accounts = local(AccountsKeys.parquet(prefix));
      statement.execute("CREATE VIEW accounts AS " + (Files.exists(accounts)
          ? "SELECT * FROM read_parquet('" + sqlPath(accounts) + "')"
          : emptySelect(AccountRow.TABLE) + " WHERE false"));
      for (Map.Entry<String, String> view : PivotViews.selects("").entrySet()) {
        statement.execute("CREATE VIEW " + view.getKey() + " AS " + view.getValue());
      }
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  /** The cache file of a key; never outside the cache, whatever the key holds. */
  Path local(String key) {
    if (!safeKey(key)) {
      throw new IllegalArgumentException("S3 key " + printable(key) + " would leave the local cache " + cache);
    }
    Path local = cache.resolve(key).normalize();
    if (!local.startsWith(cache)) {
      throw new IllegalArgumentException("S3 key " + printable(key) + " would leave the local cache " + cache);
    }
    return local;
  }

  /**
   * A key maps to a path inside the cache when it is relative and has no {@code .}, {@code ..} or empty segment
   * (an empty one, {@code a//b}, would make two keys share a file; a folder's trailing {@code /} is fine), no
   * backslash and no control character.
   */
  static boolean safeKey(String key) {
    if (key.isEmpty() || key.startsWith("/") || key.indexOf('\\') >= 0 || key.chars().anyMatch(Character::isISOControl)) {
      return false;
    }
    String[] segments = key.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      boolean folderEnd = i == segments.length - 1 && segment.isEmpty();
      if (!folderEnd && (segment.isEmpty() || ".".equals(segment) || "..".equals(segment))) {
        return false;
      }
    }
    return true;
  }

  private static String printable(String key) {
    StringBuilder out = new StringBuilder(Math.min(key.length(), 200));
    key.codePoints().limit(200).forEach(c -> out.append(Character.isISOControl(c) ? String.format(java.util.Locale.ROOT, "\\u%04x", c) : Character.toString(c)));
    return out.toString();
  }

  private static boolean sameSize(Path file, long size) {
    try {
      return Files.exists(file) && Files.size(file) == size;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean hasFiles(Path dir, String extension) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (var files = Files.walk(dir)) {
      return files.anyMatch(f -> f.toString().endsWith(extension));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sqlPath(Path path) {
    return path.toAbsolutePath().toString().replace("'", "''");
  }

  private static <T> String emptySelect(Table<T> table) {
    return "SELECT " + table.columns().stream()
        .map(c -> "CAST(NULL AS " + c.type().duckDbType() + ") AS " + c.sqlName()).collect(Collectors.joining(", "));
  }

  private static <T> String allStringsSelect(Table<T> table) {
    return "SELECT " + table.columns().stream().map(Column::sqlName).map(n -> "CAST(NULL AS VARCHAR) AS " + n)
        .collect(Collectors.joining(", "));
  }
}
