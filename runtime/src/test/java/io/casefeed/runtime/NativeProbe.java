package io.casefeed.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * Run by {@link RuntimeJarIT} in a JVM whose class path is the runtime jar (plus this class): loads the
 * natives the shade filters kept, for the platform the test runs on, and uses each once.
 */
public final class NativeProbe {

  private NativeProbe() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("native-probe");
    RocksDB.loadLibrary();
    try (Options options = new Options().setCreateIfMissing(true); RocksDB db = RocksDB.open(options, dir.toString())) {
      db.put("k".getBytes(java.nio.charset.StandardCharsets.UTF_8), "rocksdb-ok".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      System.out.println(new String(db.get("k".getBytes(java.nio.charset.StandardCharsets.UTF_8)), java.nio.charset.StandardCharsets.UTF_8));
    }
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
         Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT 'duckdb-' || 'ok'")) {
      rows.next();
      System.out.println(rows.getString(1));
    }
    System.out.println("snappy-" + (org.xerial.snappy.Snappy.uncompressString(org.xerial.snappy.Snappy.compress("ok"))));
    System.out.println("zstd-" + new String(com.github.luben.zstd.Zstd.decompress(
        com.github.luben.zstd.Zstd.compress("ok".getBytes(java.nio.charset.StandardCharsets.UTF_8)), 2), java.nio.charset.StandardCharsets.UTF_8));
  }
}
