package io.casefeed.localcloud.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hive DDL read into DuckDB views over files laid out as the S3 stand-in keeps them (bucket/key). */
class AthenaEngineTest {

  @TempDir
  Path store;
  private AthenaEngine engine;

  @BeforeEach
  void start() {
    engine = new AthenaEngine(store);
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  private AthenaEngine.Result run(String sql) {
    return engine.execute(HiveDdl.parse(sql, "default"), "default");
  }

  private AthenaEngine.Result run(String sql, String database) {
    return engine.execute(HiveDdl.parse(sql, database), database);
  }

  @Test
  void openCsvSerdeTableReadsEveryFieldAsAStringSkipsTheHeaderAndHiddenFiles() throws Exception {
    Path folder = Files.createDirectories(store.resolve("reports/feed/list/"));
    Files.writeString(folder.resolve("list.csv"), "id,name,count,note\r\n1,\"Smith, \"\"Jo\"\"\",7,\r\n2,Lee,x,\"\"\r\n",
        StandardCharsets.UTF_8);
    Files.writeString(folder.resolve("_SUCCESS"), "garbage\n", StandardCharsets.UTF_8);
    Files.createDirectories(folder.resolve(".hidden")).resolve("x.csv").toFile().createNewFile();
    run("CREATE DATABASE IF NOT EXISTS reports");
    run("""
        -- a comment line first, as generated DDL has
        CREATE EXTERNAL TABLE IF NOT EXISTS reports.list (
          `id` string,
          `name` string COMMENT 'who',
          `count` string,
          `note` string
        )
        ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
        WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"', 'escapeChar' = '\\\\')
        STORED AS TEXTFILE
        LOCATION 's3://reports/feed/list/'
        TBLPROPERTIES ('skip.header.line.count' = '1');
        """);

    AthenaEngine.Result result = run("SELECT * FROM list ORDER BY id", "reports");

    assertThat(result.columns()).containsExactly("id", "name", "count", "note");
    assertThat(result.types()).containsOnly("varchar");
    assertThat(result.rows()).containsExactly(List.of("1", "Smith, \"Jo\"", "7", ""), List.of("2", "Lee", "x", ""));
  }

  @Test
  void parquetTableWithProjectedPartitionsReadsOldFilesWithoutTheNewColumnAsNull() throws Exception {
    Path root = Files.createDirectories(store.resolve("lake/events"));
    Files.createDirectories(root.resolve("dt=2026-01-01"));
    Files.createDirectories(root.resolve("dt=2026-01-02"));
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = duck.createStatement()) {
      statement.execute("COPY (SELECT 1::BIGINT AS id, 'a' AS Kind) TO '" + root.resolve("dt=2026-01-01/old.parquet") + "' (FORMAT parquet)");
      statement.execute("COPY (SELECT 2::BIGINT AS id, 'b' AS kind, 5 AS added) TO '" + root.resolve("dt=2026-01-02/new.parquet")
          + "' (FORMAT parquet)");
      // Outside a partition folder: not part of a partitioned table.
      statement.execute("COPY (SELECT 3::BIGINT AS id) TO '" + root.resolve("stray.parquet") + "' (FORMAT parquet)");
    }
    run("CREATE DATABASE lake");
    run("""
        CREATE EXTERNAL TABLE lake.events (`id` bigint, `kind` string, `added` int, `never` decimal(10,2))
        PARTITIONED BY (dt string)
        STORED AS PARQUET
        LOCATION 's3://lake/events/'
        TBLPROPERTIES ('projection.enabled' = 'true', 'projection.dt.type' = 'date',
          'storage.location.template' = 's3://lake/events/dt=${dt}/')""");

    AthenaEngine.Result result = run("SELECT id, kind, added, never, dt FROM lake.events ORDER BY id");

    assertThat(result.types()).containsExactly("bigint", "varchar", "integer", "decimal", "varchar");
    assertThat(result.rows()).containsExactly(
        java.util.Arrays.asList("1", "a", null, null, "2026-01-01"),
        java.util.Arrays.asList("2", "b", "5", null, "2026-01-02"));
  }

  @Test
  void tablesOverEmptyLocationsAreEmptyAndSeeFilesWrittenLater() throws Exception {
    run("CREATE DATABASE d");
    run("CREATE EXTERNAL TABLE d.t (a string, b bigint) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://b/t'");
    run("CREATE OR REPLACE VIEW d.v AS SELECT count(*) AS n, sum(b) AS total FROM t", "d");
    assertThat(run("SELECT * FROM d.v").rows()).containsExactly(java.util.Arrays.asList("0", null));

    Files.createDirectories(store.resolve("b/t"));
    Files.writeString(store.resolve("b/t/part-0"), "x,4\ny,\\N\nz,notanumber\n", StandardCharsets.UTF_8);

    AthenaEngine.Result result = run("SELECT * FROM d.v");
    assertThat(result.columns()).containsExactly("n", "total");
    assertThat(result.types()).containsExactly("bigint", "bigint");
    assertThat(result.rows()).containsExactly(List.of("3", "4"));
  }

  @Test
  void ddlRunsTwiceWithIfNotExistsAndOrReplace() {
    for (int round = 0; round < 2; round++) {
      run("CREATE DATABASE IF NOT EXISTS d");
      run("CREATE EXTERNAL TABLE IF NOT EXISTS d.t (a string) STORED AS PARQUET LOCATION 's3://b/p/'");
      run("CREATE OR REPLACE VIEW d.v AS SELECT a FROM d.t");
    }
    assertThat(run("SELECT count(*) AS n FROM d.v").rows()).containsExactly(List.of("0"));
    assertThatThrownBy(() -> run("CREATE DATABASE d")).hasMessageContaining("Database d already exists");
    assertThatThrownBy(() -> run("CREATE EXTERNAL TABLE d.t (a string) STORED AS PARQUET LOCATION 's3://b/p/'"))
        .hasMessageContaining("Table d.t already exists");
    assertThatThrownBy(() -> run("CREATE VIEW d.v AS SELECT 1 AS x")).hasMessageContaining("View d.v already exists");
  }

  @Test
  void unsupportedStatementsAreRefusedWithTheReason() {
    run("CREATE DATABASE d");
    assertThatThrownBy(() -> run("MSCK REPAIR TABLE d.t")).isInstanceOf(HiveDdlException.class)
        .hasMessageContaining("does not support MSCK REPAIR statements");
    assertThatThrownBy(() -> run("CREATE EXTERNAL TABLE d.j (a string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'"
        + " LOCATION 's3://b/j/'")).hasMessageContaining("SerDe 'org.openx.data.jsonserde.JsonSerDe' is not supported");
    assertThatThrownBy(() -> run("CREATE EXTERNAL TABLE d.o (a string) STORED AS ORC LOCATION 's3://b/o/'"))
        .hasMessageContaining("STORED AS ORC is not supported");
    assertThatThrownBy(() -> run("CREATE EXTERNAL TABLE d.a (a array<string>) STORED AS PARQUET LOCATION 's3://b/a/'"))
        .hasMessageContaining("type array<string> is not supported");
    assertThatThrownBy(() -> run("CREATE EXTERNAL TABLE d.p (a string) PARTITIONED BY (dt string) STORED AS PARQUET"
        + " LOCATION 's3://b/p/' TBLPROPERTIES ('storage.location.template' = 's3://b/p/${dt}/')"))
        .hasMessageContaining("Hive-style folders only ('s3://b/p/dt=${dt}/')");
    assertThatThrownBy(() -> run("CREATE EXTERNAL TABLE nodb.t (a string) STORED AS PARQUET LOCATION 's3://b/p/'"))
        .hasMessageContaining("Database does not exist: nodb");
    assertThatThrownBy(() -> run("CREATE EXTERNAL TABLE d.t (a string) STORED AS PARQUET LOCATION '/tmp/x'"))
        .hasMessageContaining("LOCATION must be an s3:// URI");
    assertThatThrownBy(() -> run("SELECT * FROM d.missing")).isInstanceOf(HiveDdlException.class)
        .hasMessageContaining("missing");
  }
}
