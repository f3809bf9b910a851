package io.casefeed.sink.cli;

import io.casefeed.sink.config.SinkConfig;
import io.casefeed.schemas.table.PythonCsv;
import io.casefeed.sink.query.LocalQuery;
import io.casefeed.sink.S3Sink;
import io.casefeed.common.retry.Backoff;
import io.casefeed.sink.store.S3Clients;
import io.casefeed.sink.store.S3ObjectStore;
import io.casefeed.sink.store.StoreAccessException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code casefeed query "<SQL>"}: runs SQL over the sink's objects in embedded DuckDB, with the
 * Athena table and view names. The result is printed as CSV on stdout.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
    description = "Runs SQL (Athena's table and view names) in embedded DuckDB over the sink's objects, read through the S3 API.")
public final class QueryCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "SQL", description = "e.g. \"SELECT * FROM case_counts_by_account_status\"")
  String sql;

  @Option(names = "--config", paramLabel = "FILE", description = "The sink's config: its s3.* settings are used, flags aside.")
  Path config;

  @Option(names = "--endpoint", defaultValue = "http://127.0.0.1:4567",
      description = "S3 endpoint (default: local-cloud's S3 in the demo, ${DEFAULT-VALUE}).")
  URI endpoint;

  @Option(names = "--aws", description = "Use AWS S3 itself (no endpoint override, default credentials).")
  boolean aws;

  @Option(names = "--bucket", defaultValue = "casefeed", description = "Bucket (default: ${DEFAULT-VALUE}).")
  String bucket;

  @Option(names = "--prefix", defaultValue = "casefeed", description = "The sink's s3.prefix (default: ${DEFAULT-VALUE}).")
  String prefix;

  @Option(names = "--region", defaultValue = "us-east-1", description = "Region (default: ${DEFAULT-VALUE}).")
  String region;

  @Option(names = "--access-key", defaultValue = "test", description = "Access key id for a local S3 (default: ${DEFAULT-VALUE}).")
  String accessKey;

  @Option(names = "--secret-key", defaultValue = "test", description = "Secret key for a local S3 (default: ${DEFAULT-VALUE}).")
  String secretKey;

  @Option(names = "--cache", paramLabel = "DIR", description = "Local copy of the objects (default: ~/.cache/casefeed/query/<bucket>).")
  Path cache;

  public static void main(String[] args) {
    System.exit(new CommandLine(new QueryCommand()).execute(args));
  }

  @Override
  public Integer call() {
    S3Client s3;
    String effectiveBucket = bucket;
    String effectivePrefix = prefix;
    try {
      if (config != null) {
        SinkConfig sinkConfig = SinkConfig.load(config, System.getenv(), Map.of());
        s3 = S3Sink.s3Client(sinkConfig);
        effectiveBucket = sinkConfig.bucket();
        effectivePrefix = sinkConfig.prefix();
      } else {
        s3 = aws ? S3Clients.create(null, region, false, null, null, Duration.ofSeconds(30))
            : S3Clients.create(endpoint, region, true, accessKey, secretKey, Duration.ofSeconds(30));
      }
    } catch (ConfigException e) {
      System.err.println("config error: " + e.getMessage());
      return 2;
    }
    Path cacheDir = cache != null ? cache
        : Path.of(System.getProperty("user.home"), ".cache", "casefeed", "query", effectiveBucket);
    try (s3) {
      // The query only reads, so the upload settings never apply.
      S3ObjectStore store = new S3ObjectStore(s3, effectiveBucket, Backoff.fullJitter(5, Duration.ofMillis(200), Duration.ofSeconds(5)),
          Long.MAX_VALUE, Integer.MAX_VALUE, new SimpleMeterRegistry());
      LocalQuery query = new LocalQuery(store, effectivePrefix, cacheDir);
      query.sync();
      LocalQuery.Result result = query.run(sql);
      StringBuilder out = new StringBuilder(PythonCsv.row(result.columns()));
      for (List<Object> row : result.rows()) {
        List<String> fields = new ArrayList<>(row.size());
        row.forEach(v -> fields.add(v == null ? null : v.toString()));
        out.append(PythonCsv.row(fields));
      }
      System.out.print(out);
      System.out.flush();
      return 0;
    } catch (StoreAccessException e) {
      System.err.println("query error: " + e.getMessage());
      return 1;
    } catch (SQLException e) {
      System.err.println("query error: " + e.getMessage());
      return 1;
    }
  }
}
