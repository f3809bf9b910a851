package io.casefeed.sink.cli;

import io.casefeed.common.component.ExitCodes;
import io.casefeed.common.config.ConfigLoader;
import io.casefeed.common.retry.Backoff;
import io.casefeed.common.time.Sleeper;
import io.casefeed.sink.athena.AthenaClients;
import io.casefeed.sink.athena.AthenaDdl;
import io.casefeed.sink.athena.AthenaDdlRunner;
import io.casefeed.sink.config.AthenaSettings;
import io.casefeed.sink.config.SinkConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.athena.AthenaClient;

/**
 * {@code casefeed athena-ddl --bucket B [--prefix P] [--database D]}: prints the Athena DDL; with
 * {@code --apply}, runs each statement through Athena (or local-cloud's stand-in) and reports it.
 */
@Command(name = "athena-ddl", mixinStandardHelpOptions = true,
    description = {"Prints the Athena DDL for the sink's objects: change history, case list (CSV and Parquet), pivot views.",
        "With --apply, runs each statement through Athena's StartQueryExecution and waits for it; the statements are idempotent,"
            + " so running it again after an upgrade is safe."})
public final class AthenaDdlCommand implements Callable<Integer> {

  /** Attempts of one Athena call that fails transiently (throttling, 5xx, no answer). */
  private static final Backoff CALL_RETRIES = Backoff.fullJitter(5, Duration.ofMillis(200), Duration.ofSeconds(5));
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  @Option(names = "--bucket", description = "Bucket the sink writes to (or the s3.bucket of --config).")
  String bucket;

  @Option(names = "--prefix", description = "The sink's s3.prefix (default: the --config's, else casefeed).")
  String prefix;

  @Option(names = "--database", defaultValue = "casefeed", description = "Athena database (default: ${DEFAULT-VALUE}).")
  String database;

  @Option(names = "--first-day", defaultValue = "2020-01-01",
      description = "First dt of the change history's partition projection, yyyy-MM-dd (default: ${DEFAULT-VALUE}).")
  LocalDate firstDay;

  @Option(names = "--apply", description = "Run the statements in Athena, in order, instead of printing them.")
  boolean apply;

  @Option(names = "--config", paramLabel = "FILE",
      description = "The sink's config: its s3.bucket, s3.prefix, aws.* and athena.* keys are used, flags aside.")
  Path config;

  @Option(names = "--workgroup", description = "Athena workgroup (athena.workgroup; default: primary).")
  String workgroup;

  @Option(names = "--output-location", paramLabel = "S3_URI",
      description = "s3:// folder for query results (athena.output.location; default: the workgroup's).")
  String outputLocation;

  @Option(names = "--endpoint", paramLabel = "URL",
      description = "Athena endpoint override (aws.athena.endpoint.override), e.g. local-cloud's http://127.0.0.1:4566.")
  URI endpoint;

  @Option(names = "--region", description = "Athena's region (aws.athena.region; default: aws.region, else us-east-1).")
  String region;

  public static void main(String[] args) {
    System.exit(new CommandLine(new AthenaDdlCommand()).execute(args));
  }

  @Override
  public Integer call() {
    if (!database.matches("[a-z_][a-z0-9_]*")) {
      System.err.println("config error: --database must be lower-case letters, digits and '_' (Athena's rule): " + database);
      return ExitCodes.USAGE;
    }
    String effectiveBucket = bucket;
    String effectivePrefix = prefix == null ? "casefeed" : prefix;
    AthenaSettings settings = null;
    try {
      Map<String, String> overrides = athenaOverrides();
      if (config != null) {
        if (bucket != null) {
          overrides.put(SinkConfig.S3_BUCKET, bucket);
        }
        if (prefix != null) {
          overrides.put(SinkConfig.S3_PREFIX, prefix.replaceAll("^/+|/+$", ""));
        }
        SinkConfig sink = SinkConfig.load(config, System.getenv(), overrides);
        effectiveBucket = sink.bucket();
        effectivePrefix = sink.prefix();
        settings = AthenaSettings.of(sink);
      } else if (apply) {
        settings = AthenaSettings.standalone(
            ConfigLoader.load(SinkConfig.ATHENA_DEFINITION, null, System.getenv(), overrides, Set.of()));
      }
    } catch (ConfigException e) {
      System.err.println("config error: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    if (effectiveBucket == null) {
      System.err.println("config error: --bucket (or --config with s3.bucket) is required");
      return ExitCodes.USAGE;
    }
    String ddl = AthenaDdl.render(effectiveBucket, effectivePrefix.replaceAll("^/+|/+$", ""), database, firstDay);
    if (!apply) {
      System.out.print(ddl);
      return ExitCodes.OK;
    }
    return apply(settings, AthenaDdl.statements(ddl));
  }

  /** The flags that set athena.* keys; later sources win, so they override the config file and the environment. */
  private Map<String, String> athenaOverrides() {
    Map<String, String> overrides = new HashMap<>();
    if (workgroup != null) {
      overrides.put(SinkConfig.ATHENA_WORKGROUP, workgroup);
    }
    if (outputLocation != null) {
      overrides.put(SinkConfig.ATHENA_OUTPUT_LOCATION, outputLocation);
    }
    if (endpoint != null) {
      overrides.put(SinkConfig.ATHENA_ENDPOINT, endpoint.toString());
    }
    if (region != null) {
      overrides.put(SinkConfig.ATHENA_REGION, region);
    }
    return overrides;
  }

  private static int apply(AthenaSettings settings, List<String> statements) {
    System.err.println("applying " + statements.size() + " statements in Athena workgroup " + settings.workgroup()
        + (settings.endpoint() == null ? "" : " at " + settings.endpoint()));
    try (AthenaClient athena = AthenaClients.create(settings.aws(), CALL_TIMEOUT)) {
      AthenaDdlRunner runner = new AthenaDdlRunner(athena, settings.workgroup(), settings.outputLocation(), CALL_RETRIES,
          settings.polling(), Sleeper.SYSTEM);
      runner.apply(statements, done -> System.out.println(String.format(Locale.ROOT, "SUCCEEDED %2d/%d %s (query %s, %d ms)",
          done.number(), statements.size(), done.summary(), done.queryExecutionId(), done.elapsedMillis())));
      System.out.println("applied " + statements.size() + " statements");
      return ExitCodes.OK;
    } catch (AthenaDdlRunner.StatementFailedException e) {
      System.err.println("athena-ddl --apply failed: " + e.getMessage());
      return ExitCodes.FAILURE;
    } catch (SdkException e) {
      System.err.println("athena-ddl --apply failed: Athena could not be called: " + e.getMessage());
      return ExitCodes.FAILURE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.err.println("athena-ddl --apply interrupted");
      return ExitCodes.FAILURE;
    }
  }
}
