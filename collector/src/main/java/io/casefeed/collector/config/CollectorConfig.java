package io.casefeed.collector.config;

import io.casefeed.common.aws.AwsSettings;
import io.casefeed.common.config.CommonConfig;
import io.casefeed.common.config.RenamedKeys;
import io.casefeed.common.config.ConfigLoader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Everything the collector reads from its configuration, validated when loaded. */
public final class CollectorConfig extends CommonConfig {

  public static final String ACCOUNTS_STATIC = "accounts.static";
  public static final String ACCOUNTS_S3_URI = "accounts.s3.uri";
  public static final String ACCOUNTS_ORGANIZATIONS_ENABLED = "accounts.organizations.enabled";
  public static final String ACCOUNTS_ORGANIZATIONS_ROLE_ARNS = "accounts.organizations.management.role.arns";
  public static final String ACCOUNTS_INCLUDE = "accounts.include";
  public static final String ACCOUNTS_EXCLUDE = "accounts.exclude";
  public static final String ACCOUNTS_REFRESH_INTERVAL_MS = "accounts.refresh.interval.ms";
  public static final String ROLE_NAME = "role.name";
  public static final String ROLE_EXTERNAL_ID = "role.external.id";
  public static final String ROLE_SESSION_NAME = "role.session.name";
  public static final String ROLE_SESSION_DURATION_S = "role.session.duration.seconds";
  public static final String ROLE_REFRESH_BEFORE_MS = "role.credentials.refresh.before.ms";
  public static final String AWS_PARTITION = "aws.partition";
  public static final String AWS_REGION = AwsSettings.REGION;
  public static final String AWS_ENDPOINT_OVERRIDE = AwsSettings.ENDPOINT_OVERRIDE;
  public static final String AWS_S3_ENDPOINT_OVERRIDE = AwsSettings.endpointOverrideKey("s3");
  public static final String AWS_SQS_ENDPOINT_OVERRIDE = AwsSettings.endpointOverrideKey("sqs");
  public static final String AWS_S3_PATH_STYLE = AwsSettings.S3_PATH_STYLE;
  public static final String AWS_ACCESS_KEY_ID = AwsSettings.ACCESS_KEY_ID;
  public static final String AWS_SECRET_ACCESS_KEY = AwsSettings.SECRET_ACCESS_KEY;
  /** The AWS services the collector calls, by SDK name (for aws.<service>.endpoint.override). */
  public static final List<String> AWS_SERVICES = List.of("support", "sts", "organizations", "s3", "sqs");
  public static final String POLL_FAST_INTERVAL_MS = "poll.fast.interval.ms";
  public static final String POLL_FAST_INTERVAL_WITH_EVENTS_MS = "poll.fast.interval.with-events.ms";
  public static final String POLL_SWEEP_INTERVAL_MS = "poll.sweep.interval.ms";
  public static final String POLL_LOOKBACK_DAYS = "poll.lookback.days";
  public static final String POLL_LANGUAGES = "poll.languages";
  public static final String POLL_THREADS = "poll.threads";
  public static final String RATELIMIT_ACCOUNT_PER_SECOND = "ratelimit.account.per.second";
  public static final String RATELIMIT_ACCOUNT_BURST = "ratelimit.account.burst";
  public static final String RATELIMIT_GLOBAL_PER_SECOND = "ratelimit.global.per.second";
  public static final String RETRY_MAX_ATTEMPTS = "retry.max.attempts";
  public static final String RETRY_BASE_MS = "retry.base.ms";
  public static final String RETRY_MAX_MS = "retry.max.ms";
  public static final String COLLECTOR_ID = "collector.id";
  public static final String COLLECTOR_GROUP_ID = "collector.group.id";
  public static final String EVENTS_QUEUE_URL = "events.queue.url";
  /** Keys renamed to the one AWS vocabulary; the old names are still read, with a warning. */
  public static final RenamedKeys RENAMED = RenamedKeys.of(Map.of("events.sqs.endpoint.override", AWS_SQS_ENDPOINT_OVERRIDE));
  public static final String EVENTS_VISIBILITY_TIMEOUT_S = "events.visibility.timeout.seconds";
  public static final String EVENTS_COALESCE_MS = "events.coalesce.ms";
  public static final String EVENTS_FALLBACK_MISSED_CHANGES = "events.fallback.missed-changes";
  public static final String EVENTS_FALLBACK_WINDOW_MS = "events.fallback.window.ms";

  private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
  private static final List<String> PARTITIONS = List.of("aws", "aws-cn", "aws-us-gov");

  public static final ConfigDef DEFINITION = AwsSettings.define(CommonConfig.define(new ConfigDef()), null, AWS_SERVICES, List.of())
      .define(ACCOUNTS_STATIC, Type.LIST, "", accountIds(), Importance.HIGH,
          "Account ids to read, comma-separated (12 digits each).")
      .define(ACCOUNTS_S3_URI, Type.STRING, null, new S3UriValidator(), Importance.HIGH,
          "s3://bucket/key of the seed's account file: one account id per line, '#' comments and blank lines skipped.")
      .define(ACCOUNTS_ORGANIZATIONS_ENABLED, Type.BOOLEAN, false, Importance.HIGH,
          "Read the ACTIVE accounts of the organisation(s) with Organizations ListAccounts.")
      .define(ACCOUNTS_ORGANIZATIONS_ROLE_ARNS, Type.LIST, "", Importance.MEDIUM,
          "Roles to assume in each management account for ListAccounts; empty = the collector's own credentials.")
      .define(ACCOUNTS_INCLUDE, Type.LIST, "", accountIds(), Importance.MEDIUM,
          "When not empty, only these account ids are read, whatever the sources find.")
      .define(ACCOUNTS_EXCLUDE, Type.LIST, "", accountIds(), Importance.MEDIUM,
          "Account ids never read.")
      .define(ACCOUNTS_REFRESH_INTERVAL_MS, Type.LONG, 300_000L, Range.atLeast(1_000), Importance.LOW,
          "How often the owner of partition 0 of casefeed.accounts re-resolves the account sources.")
      .define(ROLE_NAME, Type.STRING, "GetSupportInfoRole", new ConfigDef.NonEmptyString(), Importance.HIGH,
          "Role assumed in every member account: arn:<partition>:iam::<id>:role/<name>.")
      .define(ROLE_EXTERNAL_ID, Type.PASSWORD, null, Importance.MEDIUM,
          "ExternalId the member roles' trust policy requires, if any; never logged.")
      .define(ROLE_SESSION_NAME, Type.STRING, "casefeed-collector", new ConfigDef.NonEmptyString(), Importance.LOW,
          "Role session name, so CloudTrail shows casefeed's calls.")
      .define(ROLE_SESSION_DURATION_S, Type.INT, 3600, Range.between(900, 43_200), Importance.LOW,
          "Lifetime asked for the assumed-role credentials.")
      .define(ROLE_REFRESH_BEFORE_MS, Type.LONG, 300_000L, Range.atLeast(0), Importance.LOW,
          "Assumed-role credentials are renewed this long before they expire.")
      .define(AWS_PARTITION, Type.STRING, "aws", ConfigDef.ValidString.in(PARTITIONS.toArray(String[]::new)), Importance.MEDIUM,
          "AWS partition: chooses the ARN prefix and the Support region.")
      .define(POLL_FAST_INTERVAL_MS, Type.LONG, 60_000L, Range.atLeast(100), Importance.MEDIUM,
          "Interval of the fast poll of open cases per account.")
      .define(POLL_FAST_INTERVAL_WITH_EVENTS_MS, Type.LONG, 900_000L, Range.atLeast(100), Importance.MEDIUM,
          "Interval of the fast poll while events are on (events.queue.url set): the events bring the news at once, "
              + "the fast poll only catches what no event announced (counted in casefeed.collector.events.missed). "
              + "The sweep keeps its own interval.")
      .define(POLL_SWEEP_INTERVAL_MS, Type.LONG, 3_600_000L, Range.atLeast(100), Importance.MEDIUM,
          "Interval of the reconciliation sweep (resolved cases included) per account.")
      .define(POLL_LOOKBACK_DAYS, Type.INT, 730, Range.between(1, 3650), Importance.LOW,
          "How far back the sweep reads (afterTime = now - lookback); AWS keeps cases 24 months.")
      .define(POLL_LANGUAGES, Type.LIST, "en,ja,zh,ko", nonEmptyList(), Importance.LOW,
          "Languages asked for: DescribeCases returns only the cases of the language asked.")
      .define(POLL_THREADS, Type.INT, 64, Range.between(1, 1024), Importance.MEDIUM,
          "Accounts polled at the same time.")
      .define(RATELIMIT_ACCOUNT_PER_SECOND, Type.DOUBLE, 5.0, Range.atLeast(0.01), Importance.MEDIUM,
          "Support API calls per second per account.")
      .define(RATELIMIT_ACCOUNT_BURST, Type.INT, 5, Range.atLeast(1), Importance.LOW,
          "Calls an idle account may make at once.")
      .define(RATELIMIT_GLOBAL_PER_SECOND, Type.DOUBLE, 100.0, Range.atLeast(0.01), Importance.MEDIUM,
          "AWS API calls per second by this instance in all.")
      .define(RETRY_MAX_ATTEMPTS, Type.INT, 6, Range.between(1, 50), Importance.LOW,
          "Attempts per call on throttling or a 5xx before the poll is given up.")
      .define(RETRY_BASE_MS, Type.LONG, 200L, Range.atLeast(1), Importance.LOW,
          "First backoff bound; doubles per attempt (full jitter).")
      .define(RETRY_MAX_MS, Type.LONG, 20_000L, Range.atLeast(1), Importance.LOW,
          "Largest backoff bound.")
      .define(COLLECTOR_ID, Type.STRING, "", Importance.LOW,
          "Names this instance in sweep records and the consumer group; empty means <HOSTNAME>-<pid>.")
      .define(COLLECTOR_GROUP_ID, Type.STRING, "casefeed-collector", new ConfigDef.NonEmptyString(), Importance.LOW,
          "Consumer group sharing the accounts among collector instances.")
      .define(EVENTS_QUEUE_URL, Type.STRING, "", Importance.MEDIUM,
          "SQS queue that EventBridge fills with AWS Support's 'Support Case Update' events (see docs/events.md); "
              + "each event goes to casefeed.support-events. Empty = events off, polling only.")
      .define(EVENTS_VISIBILITY_TIMEOUT_S, Type.INT, 120, Range.between(10, 43_200), Importance.LOW,
          "How long a received message stays hidden; the hand-off to Kafka must finish within half of it, "
              + "or the message is received again.")
      .define(EVENTS_COALESCE_MS, Type.LONG, 250L, Range.between(0, 60_000), Importance.LOW,
          "How long a case an event names waits for more events about it before it is re-read: events for one case "
              + "within this window become one DescribeCases call.")
      .define(EVENTS_FALLBACK_MISSED_CHANGES, Type.INT, 2, Range.atLeast(1), Importance.LOW,
          "How many changes of one account the polls may find that no event announced, within "
              + EVENTS_FALLBACK_WINDOW_MS + ", before the account's events count as stopped: it then goes back to "
              + POLL_FAST_INTERVAL_MS + " until an event is seen for it again (gauge casefeed.collector.events.fallback).")
      .define(EVENTS_FALLBACK_WINDOW_MS, Type.LONG, 3_600_000L, Range.atLeast(1_000), Importance.LOW,
          "The window in which " + EVENTS_FALLBACK_MISSED_CHANGES + " unannounced changes make an account fall back "
              + "to the plain fast poll.");

  public CollectorConfig(Map<?, ?> originals) {
    super(DEFINITION, RENAMED.rename(originals));
    if (getLong(RETRY_MAX_MS) < getLong(RETRY_BASE_MS)) {
      throw new ConfigException(RETRY_MAX_MS, getLong(RETRY_MAX_MS), "must be at least " + RETRY_BASE_MS);
    }
    awsSettings();
    for (String arn : getList(ACCOUNTS_ORGANIZATIONS_ROLE_ARNS)) {
      if (!arn.startsWith("arn:") || !arn.contains(":role/")) {
        throw new ConfigException(ACCOUNTS_ORGANIZATIONS_ROLE_ARNS, arn, "not a role ARN arn:<partition>:iam::<id>:role/<name>");
      }
    }
  }

  public static CollectorConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
    return new CollectorConfig(ConfigLoader.load(DEFINITION, RENAMED, file, env, overrides, Set.of(KAFKA_PREFIX)));
  }

  public List<String> staticAccounts() { return getList(ACCOUNTS_STATIC); }
  public String accountsS3Uri() { return getString(ACCOUNTS_S3_URI); }
  public boolean organizationsEnabled() { return getBoolean(ACCOUNTS_ORGANIZATIONS_ENABLED); }
  public List<String> organizationsRoleArns() { return getList(ACCOUNTS_ORGANIZATIONS_ROLE_ARNS); }
  public Set<String> includedAccounts() { return Set.copyOf(getList(ACCOUNTS_INCLUDE)); }
  public Set<String> excludedAccounts() { return Set.copyOf(getList(ACCOUNTS_EXCLUDE)); }
  public Duration accountsRefreshInterval() { return Duration.ofMillis(getLong(ACCOUNTS_REFRESH_INTERVAL_MS)); }
  public String roleName() { return getString(ROLE_NAME); }
  public String roleExternalId() { Password p = getPassword(ROLE_EXTERNAL_ID); return p == null || p.value().isEmpty() ? null : p.value(); }
  public String roleSessionName() { return getString(ROLE_SESSION_NAME); }
  public int roleSessionDurationSeconds() { return getInt(ROLE_SESSION_DURATION_S); }
  public Duration roleRefreshBefore() { return Duration.ofMillis(getLong(ROLE_REFRESH_BEFORE_MS)); }
  public String awsPartition() { return getString(AWS_PARTITION); }

  /** Support has one endpoint per partition; STS and Organizations are reached in the same region. */
  public String awsRegion() {
    String region = getString(AWS_REGION);
    if (region != null && !region.isBlank()) {
      return region;
    }
    return switch (awsPartition()) {
      case "aws-cn" -> "cn-north-1";
      case "aws-us-gov" -> "us-gov-west-1";
      default -> "us-east-1";
    };
  }

  /** Region, endpoints and credentials of every AWS client the collector builds. */
  public AwsSettings awsSettings() { return AwsSettings.from(this, awsRegion(), AWS_SERVICES, List.of()); }
  public Duration fastInterval() { return Duration.ofMillis(getLong(POLL_FAST_INTERVAL_MS)); }
  /** The fast poll's interval as it applies: slower while events are on, as polls are then the net. */
  public Duration effectiveFastInterval() {
    return eventsEnabled() ? Duration.ofMillis(getLong(POLL_FAST_INTERVAL_WITH_EVENTS_MS)) : fastInterval();
  }
  public Duration sweepInterval() { return Duration.ofMillis(getLong(POLL_SWEEP_INTERVAL_MS)); }
  public Duration lookback() { return Duration.ofDays(getInt(POLL_LOOKBACK_DAYS)); }
  public List<String> languages() { return getList(POLL_LANGUAGES); }
  public int pollThreads() { return getInt(POLL_THREADS); }
  public double accountCallsPerSecond() { return getDouble(RATELIMIT_ACCOUNT_PER_SECOND); }
  public int accountBurst() { return getInt(RATELIMIT_ACCOUNT_BURST); }
  public double globalCallsPerSecond() { return getDouble(RATELIMIT_GLOBAL_PER_SECOND); }
  public int retryMaxAttempts() { return getInt(RETRY_MAX_ATTEMPTS); }
  public Duration retryBase() { return Duration.ofMillis(getLong(RETRY_BASE_MS)); }
  public Duration retryMax() { return Duration.ofMillis(getLong(RETRY_MAX_MS)); }
  public String collectorId() {
    String configured = getString(COLLECTOR_ID).trim();
    return configured.isEmpty() ? defaultCollectorId() : configured;
  }
  public String groupId() { return getString(COLLECTOR_GROUP_ID); }
  public String eventsQueueUrl() { return getString(EVENTS_QUEUE_URL).trim(); }
  public boolean eventsEnabled() { return !eventsQueueUrl().isEmpty(); }
  public Duration eventsVisibilityTimeout() { return Duration.ofSeconds(getInt(EVENTS_VISIBILITY_TIMEOUT_S)); }
  public Duration eventsCoalesce() { return Duration.ofMillis(getLong(EVENTS_COALESCE_MS)); }
  public int eventsFallbackMissedChanges() { return getInt(EVENTS_FALLBACK_MISSED_CHANGES); }
  public Duration eventsFallbackWindow() { return Duration.ofMillis(getLong(EVENTS_FALLBACK_WINDOW_MS)); }

  /** The role ARN the collector assumes in a member account. */
  public String roleArn(String accountId) {
    return "arn:" + awsPartition() + ":iam::" + accountId + ":role/" + roleName();
  }

  public static boolean isAccountId(String value) {
    return value != null && ACCOUNT_ID.matcher(value).matches();
  }

  private static URI uri(String value) {
    return value == null || value.isBlank() ? null : URI.create(value);
  }

  private static String defaultCollectorId() {
    String host = System.getenv().getOrDefault("HOSTNAME", "collector");
    return host + "-" + ProcessHandle.current().pid();
  }

  private static ConfigDef.Validator accountIds() {
    return (name, value) -> {
      for (Object id : (List<?>) value) {
        if (!isAccountId(id.toString())) {
          throw new ConfigException(name, id, "not a 12-digit AWS account id");
        }
      }
    };
  }

  private static ConfigDef.Validator nonEmptyList() {
    return (name, value) -> {
      if (value == null || ((List<?>) value).isEmpty()) {
        throw new ConfigException(name, value, "at least one value is needed");
      }
    };
  }

  /** Accepts s3://bucket/key. */
  static final class S3UriValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (value == null || value.toString().isBlank()) {
        return;
      }
      try {
        URI uri = new URI(value.toString());
        if (!"s3".equals(uri.getScheme()) || uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
          throw new ConfigException(name, value, "must be s3://bucket/key");
        }
      } catch (URISyntaxException e) {
        throw new ConfigException(name, value, "must be s3://bucket/key: " + e.getMessage());
      }
    }

    @Override
    public String toString() {
      return "s3://bucket/key";
    }
  }
}
