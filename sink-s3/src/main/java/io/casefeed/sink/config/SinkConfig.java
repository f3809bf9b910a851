package io.casefeed.sink.config;

import io.casefeed.common.aws.AwsSettings;
import io.casefeed.common.config.CommonConfig;
import io.casefeed.common.config.RenamedKeys;
import io.casefeed.common.config.ConfigLoader;
import io.casefeed.common.retry.Backoff;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Configuration of {@code casefeed sink}: where in S3, which outputs, rotation and retries. */
public final class SinkConfig extends CommonConfig {

  public static final String S3_BUCKET = "s3.bucket";
  public static final String S3_PREFIX = "s3.prefix";
  public static final String S3_ENDPOINT = AwsSettings.endpointOverrideKey("s3");
  public static final String S3_REGION = AwsSettings.REGION;
  public static final String S3_PATH_STYLE = AwsSettings.S3_PATH_STYLE;
  public static final String S3_ACCESS_KEY_ID = AwsSettings.ACCESS_KEY_ID;
  public static final String S3_SECRET_ACCESS_KEY = AwsSettings.SECRET_ACCESS_KEY;
  /** The AWS services the sink calls, by SDK name (for aws.<service>.endpoint.override). */
  public static final List<String> AWS_SERVICES = List.of("s3", "athena");
  /** Athena may run in another region than the bucket's. */
  public static final List<String> AWS_REGIONAL_SERVICES = List.of("athena");
  /** The sink's keys before the one AWS vocabulary; still read, with a warning. */
  public static final RenamedKeys RENAMED = RenamedKeys.of(Map.of(
      "s3.endpoint", S3_ENDPOINT,
      "s3.region", S3_REGION,
      "s3.path.style.access", S3_PATH_STYLE,
      "s3.access.key.id", S3_ACCESS_KEY_ID,
      "s3.secret.access.key", S3_SECRET_ACCESS_KEY));
  public static final String S3_REQUEST_TIMEOUT_MS = "s3.request.timeout.ms";
  public static final String S3_RETRY_MAX_ATTEMPTS = "s3.retry.max.attempts";
  public static final String S3_RETRY_INITIAL_BACKOFF_MS = "s3.retry.initial.backoff.ms";
  public static final String S3_RETRY_MAX_BACKOFF_MS = "s3.retry.max.backoff.ms";
  public static final String S3_MULTIPART_THRESHOLD_BYTES = "s3.multipart.threshold.bytes";
  public static final String S3_MULTIPART_PART_BYTES = "s3.multipart.part.bytes";
  public static final String HISTORY_ENABLED = "history.enabled";
  public static final String HISTORY_FORMATS = "history.formats";
  public static final String HISTORY_GROUP_ID = "history.group.id";
  public static final String HISTORY_GROUP_INSTANCE_ID = "history.group.instance.id";
  public static final String HISTORY_ROTATE_RECORDS = "history.rotate.records";
  public static final String HISTORY_ROTATE_SPAN_MS = "history.rotate.span.ms";
  public static final String HISTORY_IDLE_FLUSH_MS = "history.idle.flush.ms";
  public static final String SNAPSHOT_ENABLED = "snapshot.enabled";
  public static final String SNAPSHOT_INTERVAL_MS = "snapshot.interval.ms";
  public static final String ACCOUNTS_ENABLED = "accounts.enabled";
  public static final String ACCOUNTS_DEBOUNCE_MS = "accounts.debounce.ms";
  public static final String ATHENA_ENDPOINT = AwsSettings.endpointOverrideKey("athena");
  public static final String ATHENA_REGION = AwsSettings.regionKey("athena");
  public static final String ATHENA_WORKGROUP = "athena.workgroup";
  public static final String ATHENA_OUTPUT_LOCATION = "athena.output.location";
  public static final String ATHENA_POLL_MAX_ATTEMPTS = "athena.poll.max.attempts";
  public static final String ATHENA_POLL_INITIAL_BACKOFF_MS = "athena.poll.initial.backoff.ms";
  public static final String ATHENA_POLL_MAX_BACKOFF_MS = "athena.poll.max.backoff.ms";

  public static final String FORMAT_PARQUET = "parquet";
  public static final String FORMAT_CSV = "csv";
  private static final int MIN_PART_BYTES = 5 * 1024 * 1024;

  public static final ConfigDef DEFINITION = AwsSettings.define(CommonConfig.define(new ConfigDef()), "us-east-1", AWS_SERVICES, AWS_REGIONAL_SERVICES)
      .define(S3_BUCKET, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
          "Bucket the sink writes to; it must exist.")
      .define(S3_PREFIX, Type.STRING, "casefeed", Importance.HIGH,
          "Key prefix under which case_changes/ and case_list/ are written (no leading or trailing '/').")
      .define(S3_REQUEST_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(100), Importance.LOW,
          "Timeout of one S3 call attempt; a timed-out call is retried.")
      .define(S3_RETRY_MAX_ATTEMPTS, Type.INT, 10, Range.atLeast(1), Importance.LOW,
          "Attempts of one S3 call on 5xx, throttling, timeouts and dropped connections before the sink stops (uncommitted).")
      .define(S3_RETRY_INITIAL_BACKOFF_MS, Type.LONG, 200L, Range.atLeast(1), Importance.LOW,
          "First retry backoff; doubled per retry, with jitter.")
      .define(S3_RETRY_MAX_BACKOFF_MS, Type.LONG, 20_000L, Range.atLeast(1), Importance.LOW,
          "Longest retry backoff.")
      .define(S3_MULTIPART_THRESHOLD_BYTES, Type.LONG, 16L * 1024 * 1024, Range.atLeast(MIN_PART_BYTES), Importance.LOW,
          "Objects of this size or more are uploaded in parts.")
      .define(S3_MULTIPART_PART_BYTES, Type.INT, 8 * 1024 * 1024, Range.atLeast(MIN_PART_BYTES), Importance.LOW,
          "Part size of multipart uploads (S3's minimum is 5 MiB).")
      .define(HISTORY_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM,
          "Write casefeed.case-changes to <prefix>/case_changes/.")
      .define(HISTORY_FORMATS, Type.LIST, List.of(FORMAT_PARQUET), new FormatsValidator(), Importance.MEDIUM,
          "Formats of the change history: parquet, optionally csv too (parquet,csv).")
      .define(HISTORY_GROUP_ID, Type.STRING, "casefeed-sink-s3", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
          "Consumer group of the change-history writer; its committed offsets never run ahead of the objects.")
      .define(HISTORY_GROUP_INSTANCE_ID, Type.STRING, null, Importance.LOW,
          "Static group membership of the history consumer (e.g. the pod name): a restarted sink takes its partitions back at once, without waiting for its old session to time out.")
      .define(HISTORY_ROTATE_RECORDS, Type.INT, 50_000, Range.atLeast(1), Importance.MEDIUM,
          "An object is closed when it holds this many records.")
      .define(HISTORY_ROTATE_SPAN_MS, Type.LONG, 3_600_000L, Range.atLeast(1), Importance.MEDIUM,
          "An object is closed before a record whose timestamp is this much later than its first record's (and at every UTC day boundary).")
      .define(HISTORY_IDLE_FLUSH_MS, Type.LONG, 60_000L, Range.atLeast(1), Importance.MEDIUM,
          "An open object whose partition received nothing for this long (wall clock) is written, so data never waits for the next record.")
      .define(SNAPSHOT_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM,
          "Write the case_list snapshot from casefeed.cases.")
      .define(SNAPSHOT_INTERVAL_MS, Type.LONG, 900_000L, Range.atLeast(1_000), Importance.MEDIUM,
          "How often the case_list snapshot is written.")
      .define(ACCOUNTS_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM,
          "Write <prefix>/accounts/accounts.parquet from casefeed.accounts: the account names of the pivot views.")
      .define(ACCOUNTS_DEBOUNCE_MS, Type.LONG, 5_000L, Range.atLeast(0), Importance.LOW,
          "How long the accounts table waits after a change of the account set before it is rewritten, so a burst of changes is one write.");

  /** The athena-ddl --apply keys alone: the command runs without a sink config file too. */
  public static final ConfigDef ATHENA_DEFINITION = defineAthena(
      AwsSettings.define(new ConfigDef(), "us-east-1", List.of("athena"), AWS_REGIONAL_SERVICES));

  static {
    // Read by casefeed athena-ddl --apply (with the aws.* keys above), not by the running sink.
    defineAthena(DEFINITION);
  }

  private static ConfigDef defineAthena(ConfigDef definition) {
    return definition
        .define(ATHENA_WORKGROUP, Type.STRING, "primary", new ConfigDef.NonEmptyString(), Importance.LOW,
            "athena-ddl --apply: the workgroup the statements run in (the analytics stack creates one with its result location).")
        .define(ATHENA_OUTPUT_LOCATION, Type.STRING, null, new S3UriValidator(), Importance.LOW,
            "athena-ddl --apply: s3:// folder for query results; empty = the workgroup's own result location.")
        .define(ATHENA_POLL_MAX_ATTEMPTS, Type.INT, 600, Range.atLeast(1), Importance.LOW,
            "athena-ddl --apply: GetQueryExecution calls per statement before it is given up as not finishing.")
        .define(ATHENA_POLL_INITIAL_BACKOFF_MS, Type.LONG, 100L, Range.atLeast(1), Importance.LOW,
            "athena-ddl --apply: first pause between GetQueryExecution calls; doubled per call.")
        .define(ATHENA_POLL_MAX_BACKOFF_MS, Type.LONG, 1_000L, Range.atLeast(1), Importance.LOW,
            "athena-ddl --apply: longest pause between GetQueryExecution calls.");
  }

  public SinkConfig(Map<?, ?> originals) {
    super(DEFINITION, RENAMED.rename(originals));
    awsSettings();
    if (getInt(S3_MULTIPART_PART_BYTES) > getLong(S3_MULTIPART_THRESHOLD_BYTES)) {
      throw new ConfigException(S3_MULTIPART_PART_BYTES, getInt(S3_MULTIPART_PART_BYTES), "must not exceed " + S3_MULTIPART_THRESHOLD_BYTES);
    }
    String prefix = getString(S3_PREFIX);
    if (prefix.startsWith("/") || prefix.endsWith("/")) {
      throw new ConfigException(S3_PREFIX, prefix, "must not start or end with '/'");
    }
  }

  public static SinkConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
    return new SinkConfig(ConfigLoader.load(DEFINITION, RENAMED, file, env, overrides, Set.of(KAFKA_PREFIX)));
  }

  public String bucket() {
    return getString(S3_BUCKET);
  }

  public String prefix() {
    return getString(S3_PREFIX);
  }

  /** Region, endpoint and credentials of the sink's S3 client. */
  public AwsSettings awsSettings() {
    return AwsSettings.from(this, getString(S3_REGION), AWS_SERVICES, AWS_REGIONAL_SERVICES);
  }

  public Duration requestTimeout() {
    return Duration.ofMillis(getLong(S3_REQUEST_TIMEOUT_MS));
  }

  /** Attempts and pauses for transient S3 failures: exponential, full jitter. */
  public Backoff retryPolicy() {
    return Backoff.fullJitter(getInt(S3_RETRY_MAX_ATTEMPTS),
        Duration.ofMillis(getLong(S3_RETRY_INITIAL_BACKOFF_MS)), Duration.ofMillis(getLong(S3_RETRY_MAX_BACKOFF_MS)));
  }

  public long multipartThreshold() {
    return getLong(S3_MULTIPART_THRESHOLD_BYTES);
  }

  public int multipartPartSize() {
    return getInt(S3_MULTIPART_PART_BYTES);
  }

  public boolean historyEnabled() {
    return getBoolean(HISTORY_ENABLED);
  }

  public boolean historyCsv() {
    return getList(HISTORY_FORMATS).stream().anyMatch(f -> f.trim().toLowerCase(Locale.ROOT).equals(FORMAT_CSV));
  }

  public String historyGroupId() {
    return getString(HISTORY_GROUP_ID);
  }

  /** The static member id of the history consumer, or null for dynamic membership. */
  public String historyGroupInstanceId() {
    String id = getString(HISTORY_GROUP_INSTANCE_ID);
    return id == null || id.isBlank() ? null : id;
  }

  public int rotateRecords() {
    return getInt(HISTORY_ROTATE_RECORDS);
  }

  public Duration rotateSpan() {
    return Duration.ofMillis(getLong(HISTORY_ROTATE_SPAN_MS));
  }

  public Duration idleFlush() {
    return Duration.ofMillis(getLong(HISTORY_IDLE_FLUSH_MS));
  }

  public boolean snapshotEnabled() {
    return getBoolean(SNAPSHOT_ENABLED);
  }

  public Duration snapshotInterval() {
    return Duration.ofMillis(getLong(SNAPSHOT_INTERVAL_MS));
  }

  public boolean accountsEnabled() {
    return getBoolean(ACCOUNTS_ENABLED);
  }

  public Duration accountsDebounce() {
    return Duration.ofMillis(getLong(ACCOUNTS_DEBOUNCE_MS));
  }

  /** An s3://bucket/ URI (Athena's result location), or empty. */
  static final class S3UriValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (value == null || value.toString().isBlank()) {
        return;
      }
      if (!value.toString().matches("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?")) {
        throw new ConfigException(name, value, "must be an s3://bucket/folder/ URI");
      }
    }

    @Override
    public String toString() {
      return "s3://bucket/folder/";
    }
  }

  /** Parquet is the exactly-once marker of a history object, so it is always written. */
  static final class FormatsValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      List<?> formats = (List<?>) value;
      boolean parquet = false;
      for (Object format : formats) {
        String f = format.toString().trim().toLowerCase(Locale.ROOT);
        if (!f.equals(FORMAT_PARQUET) && !f.equals(FORMAT_CSV)) {
          throw new ConfigException(name, value, "unknown format '" + format + "'; use parquet or parquet,csv");
        }
        parquet |= f.equals(FORMAT_PARQUET);
      }
      if (!parquet) {
        throw new ConfigException(name, value, "must include parquet (the change history's exactly-once record); csv is optional");
      }
    }

    @Override
    public String toString() {
      return "parquet[,csv]";
    }
  }
}
