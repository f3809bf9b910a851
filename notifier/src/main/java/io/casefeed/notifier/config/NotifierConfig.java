package io.casefeed.notifier.config;

import io.casefeed.common.aws.AwsSettings;
import io.casefeed.notifier.link.CaseListLinks;
import io.casefeed.common.config.CommonConfig;
import io.casefeed.common.config.RenamedKeys;
import io.casefeed.common.config.ConfigLoader;
import io.casefeed.notifier.view.Severity;
import io.casefeed.notifier.channel.ChannelTarget;
import io.casefeed.notifier.delivery.SesClients;
import io.casefeed.notifier.routing.EmailAddresses;
import io.casefeed.notifier.routing.RecipientGroup;
import io.casefeed.notifier.schedule.DigestSchedule;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** The notifier's settings; every problem is reported at start, naming the key. */
public final class NotifierConfig extends CommonConfig implements SesClients.Settings {

  public static final String FROM = "notifier.from";
  public static final String GROUPS = "notifier.groups";
  public static final String GROUP_PREFIX = "notifier.group.";
  public static final String GROUP_RECIPIENTS = "recipients";
  public static final String GROUP_ACCOUNTS = "accounts";
  public static final String GROUP_ACCOUNT_NAME_PATTERN = "account.name.pattern";
  public static final String GROUP_CHANNELS = "channels";
  public static final String CHANNELS = "notifier.channels";
  public static final String CHANNELS_MAX_ATTEMPTS = "notifier.channels.max.attempts";
  public static final String CHANNELS_BACKOFF_MS = "notifier.channels.backoff.ms";
  public static final String CHANNELS_BACKOFF_MAX_MS = "notifier.channels.backoff.max.ms";
  public static final String CHANNELS_RETRY_AFTER_MAX_MS = "notifier.channels.retry.after.max.ms";
  public static final String CHANNELS_TIMEOUT_MS = "notifier.channels.timeout.ms";
  public static final String DIGEST_SCHEDULE = "notifier.digest.schedule";
  public static final String DIGEST_TIMEZONE = "notifier.digest.timezone";
  public static final String DIGEST_ON_FIRST_START = "notifier.digest.on.first.start";
  public static final String DIGEST_OLDEST_CASES = "notifier.digest.oldest.cases";
  public static final String DIGEST_GZIP_ABOVE_BYTES = "notifier.digest.attachment.gzip.above.bytes";
  public static final String DIGEST_LINK_BUCKET = "notifier.digest.link.s3.bucket";
  public static final String DIGEST_LINK_KEY = "notifier.digest.link.s3.key";
  public static final String DIGEST_LINK_EXPIRY_MS = "notifier.digest.link.expiry.ms";
  public static final String ALERT_SEVERITY = "notifier.alert.severity";
  public static final String ALERT_WINDOW_MS = "notifier.alert.window.ms";
  public static final String ALERT_GRACE_MS = "notifier.alert.grace.ms";
  public static final String ALERT_WAITING_ON_CUSTOMER_MS = "notifier.alert.waiting.on.customer.ms";
  public static final String ALERT_FAILING_POLLS = "notifier.alert.failing.polls";
  public static final String ALERT_MAX_CATCH_UP_MS = "notifier.alert.max.catch.up.ms";
  public static final String CONSOLE_CASE_URL = "notifier.console.case.url";
  public static final String GROUP_ID = "notifier.group.id";
  public static final String SES_REGION = AwsSettings.regionKey("ses");
  public static final String SES_ENDPOINT = AwsSettings.endpointOverrideKey("ses");
  public static final String SES_ACCESS_KEY_ID = AwsSettings.ACCESS_KEY_ID;
  public static final String SES_SECRET_ACCESS_KEY = AwsSettings.SECRET_ACCESS_KEY;
  /** The AWS services the notifier calls, by SDK name (for aws.<service>.endpoint.override). */
  public static final List<String> AWS_SERVICES = List.of("ses", "sns", "s3");
  /** The services whose region is configured; SNS publishes in the region its topic's ARN names; S3 only signs links. */
  public static final List<String> AWS_REGIONAL_SERVICES = List.of("ses", "s3");
  /** The notifier's keys before the one AWS vocabulary; still read, with a warning. */
  public static final RenamedKeys RENAMED = RenamedKeys.of(Map.of(
      "notifier.ses.region", SES_REGION,
      "notifier.ses.endpoint", SES_ENDPOINT,
      "notifier.ses.access.key.id", SES_ACCESS_KEY_ID,
      "notifier.ses.secret.access.key", SES_SECRET_ACCESS_KEY));
  public static final String SES_CONFIGURATION_SET = "notifier.ses.configuration.set";
  public static final String SES_MAX_ATTEMPTS = "notifier.ses.max.attempts";
  public static final String RESEND_MAX = "notifier.resend.max";
  public static final String RESEND_INTERVAL_MS = "notifier.resend.interval.ms";
  public static final String SES_BACKOFF_MS = "notifier.ses.backoff.ms";
  public static final String SES_BACKOFF_MAX_MS = "notifier.ses.backoff.max.ms";

  private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9_-]+");

  public static final ConfigDef DEFINITION = AwsSettings.define(CommonConfig.define(new ConfigDef()), "us-east-1", AWS_SERVICES,
      AWS_REGIONAL_SERVICES)
      .define(FROM, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, (name, value) -> {
            if (!EmailAddresses.isValid((String) value)) {
              throw new ConfigException(name, value, "not a valid e-mail address");
            }
          }, Importance.HIGH, "Sender address (an SES verified identity).")
      .define(GROUPS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, (name, value) -> {
            List<?> groups = (List<?>) value;
            if (groups.isEmpty()) {
              throw new ConfigException(name, value, "at least one recipient group is needed");
            }
            for (Object group : groups) {
              if (!GROUP_NAME.matcher(group.toString()).matches()) {
                throw new ConfigException(name, value, "group name '" + group + "' may only use letters, digits, '_' and '-'");
              }
            }
          }, Importance.HIGH,
          "Recipient group names. Each group <g> has notifier.group.<g>.recipients (addresses) and/or "
              + "notifier.group.<g>.channels (channel target names from notifier.channels; at least one of the two), and "
              + "optionally notifier.group.<g>.accounts (account ids) and notifier.group.<g>.account.name.pattern (a regex on the "
              + "account name); a group with neither follows every account.")
      .define(CHANNELS, Type.LIST, "", (name, value) -> {
            for (Object channel : (List<?>) value) {
              if (!GROUP_NAME.matcher(channel.toString()).matches()) {
                throw new ConfigException(name, value, "channel name '" + channel + "' may only use letters, digits, '_' and '-'");
              }
            }
          }, Importance.MEDIUM,
          "Channel targets that groups post their alerts to besides mail (docs/notifier.md). Each target <c> has "
              + "notifier.channel.<c>.type (webhook, slack, teams or sns), notifier.channel.<c>.url (password; not for sns), "
              + "notifier.channel.<c>.topic.arn (sns only), notifier.channel.<c>.token (password) and "
              + "notifier.channel.<c>.channel (a Slack bot token and channel: chat.postMessage with threads per case), "
              + "notifier.channel.<c>.secret (password, webhook only, at least 16 characters), and optionally "
              + "notifier.channel.<c>.min.severity, notifier.channel.<c>.changes (opened, escalated, waiting-on-customer, "
              + "account-unreadable), notifier.channel.<c>.hours with notifier.channel.<c>.timezone (when it takes alerts, e.g. "
              + "Mon-Fri 09:00-18:00 in Europe/Berlin) and notifier.channel.<c>.digests (slack and teams: post each digest as a "
              + "summary). Put secrets in the file or as ${env:NAME} (config.providers=env).")
      .define(CHANNELS_MAX_ATTEMPTS, Type.INT, 6, ConfigDef.Range.atLeast(1), Importance.LOW,
          "Attempts per post when a channel answers 429, 408 or 5xx or cannot be reached.")
      .define(CHANNELS_BACKOFF_MS, Type.LONG, 500L, ConfigDef.Range.atLeast(0), Importance.LOW,
          "First retry delay of a post, doubled each time; a longer Retry-After is honoured.")
      .define(CHANNELS_BACKOFF_MAX_MS, Type.LONG, 30_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
          "Longest retry delay of a post.")
      .define(CHANNELS_RETRY_AFTER_MAX_MS, Type.LONG, 60_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
          "The longest Retry-After honoured; a receiver asking for more waits this long.")
      .define(CHANNELS_TIMEOUT_MS, Type.LONG, 10_000L, ConfigDef.Range.atLeast(100), Importance.LOW,
          "Connect and answer timeout of one post.")
      .define(DIGEST_SCHEDULE, Type.STRING, "0 8 * * *", Importance.HIGH,
          "When digests are sent: five cron fields (minute hour day-of-month month day-of-week) in notifier.digest.timezone, "
              + "or 'every <n>s|m|h'.")
      .define(DIGEST_TIMEZONE, Type.STRING, "UTC", Importance.MEDIUM, "Time zone of the digest schedule, e.g. Europe/Paris.")
      .define(DIGEST_ON_FIRST_START, Type.BOOLEAN, false, Importance.LOW,
          "On the very first start (no digest ever recorded), send the digest of the latest past period at once (demo).")
      .define(DIGEST_OLDEST_CASES, Type.INT, 10, ConfigDef.Range.between(0, 1000), Importance.LOW,
          "How many of the oldest open cases a digest lists.")
      .define(DIGEST_GZIP_ABOVE_BYTES, Type.LONG, 10L * 1024 * 1024, ConfigDef.Range.atLeast(0), Importance.LOW,
          "A digest's case_list.csv larger than this is attached gzipped (case_list.csv.gz); one that would take the mail "
              + "over SES's 40 MB limit is gzipped whatever this says, and left out with a note if even that does not fit.")
      .define(DIGEST_LINK_BUCKET, Type.STRING, "", Importance.LOW,
          "The sink's bucket: a digest whose case list is left out (over SES's limit even gzipped) links to the list there by "
              + "a presigned URL (signed with aws.* settings; aws.s3.region, aws.s3.endpoint.override and aws.s3.path.style "
              + "where they differ). Empty: the digest says where the list is instead.")
      .define(DIGEST_LINK_KEY, Type.STRING, "casefeed/case_list/latest/case_list.csv", new ConfigDef.NonEmptyString(),
          Importance.LOW, "The object the link points to: <sink s3.prefix>/case_list/latest/case_list.csv.")
      .define(DIGEST_LINK_EXPIRY_MS, Type.LONG, Duration.ofDays(7).toMillis(),
          ConfigDef.Range.between(1000L, Duration.ofDays(7).toMillis()), Importance.LOW,
          "How long a digest's link works (7 days at most, as SigV4 allows).")
      .define(ALERT_SEVERITY, Type.STRING, "high", (name, value) -> {
            if (Severity.rank((String) value) < 0) {
              throw new ConfigException(name, value, "must be one of " + Severity.ORDER);
            }
          }, Importance.MEDIUM, "New cases and escalations at or above this severity are alerted.")
      .define(ALERT_WINDOW_MS, Type.LONG, 60_000L, ConfigDef.Range.atLeast(1_000), Importance.MEDIUM,
          "Alerts are batched over windows of this length, so a burst becomes one mail.")
      .define(ALERT_GRACE_MS, Type.LONG, 15_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
          "How long after a window ends its mail waits for changes still on their way.")
      .define(ALERT_WAITING_ON_CUSTOMER_MS, Type.LONG, Duration.ofDays(3).toMillis(), ConfigDef.Range.atLeast(1_000), Importance.MEDIUM,
          "A case waiting on the customer longer than this is alerted (once per wait).")
      .define(ALERT_FAILING_POLLS, Type.INT, 3, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
          "An account whose polls fail this many times in a row is alerted as unreadable.")
      .define(ALERT_MAX_CATCH_UP_MS, Type.LONG, Duration.ofDays(1).toMillis(), ConfigDef.Range.atLeast(60_000), Importance.LOW,
          "After a long stop, alerts older than this are not sent any more (the next digest still reports them).")
      .define(CONSOLE_CASE_URL, Type.STRING, "https://console.aws.amazon.com/support/home#/case/?displayId={displayId}",
          (name, value) -> {
            if (value == null || !value.toString().contains("{displayId}")) {
              throw new ConfigException(name, value, "must contain {displayId}");
            }
          }, Importance.LOW, "Console link of a case; {displayId} is replaced.")
      .define(GROUP_ID, Type.STRING, "casefeed-notifier", new ConfigDef.NonEmptyString(), Importance.LOW,
          "Consumer group under which the notifier records how far its alerts are done.")
      .define(SES_CONFIGURATION_SET, Type.STRING, null, Importance.LOW, "SES configuration set for event publishing.")
      .define(SES_MAX_ATTEMPTS, Type.INT, 6, ConfigDef.Range.atLeast(1), Importance.LOW,
          "Attempts per mail when SES throttles or fails with 5xx.")
      .define(SES_BACKOFF_MS, Type.LONG, 200L, ConfigDef.Range.atLeast(0), Importance.LOW, "First retry delay, doubled each time.")
      .define(SES_BACKOFF_MAX_MS, Type.LONG, 10_000L, ConfigDef.Range.atLeast(0), Importance.LOW, "Longest retry delay.")
      .define(RESEND_MAX, Type.INT, 8, ConfigDef.Range.between(0, 1000), Importance.LOW,
          "A mail that failed after notifier.ses.max.attempts is kept (casefeed.notifier-resends) and sent again, the same "
              + "message, at the next start and every notifier.resend.interval.ms, this many times at most; then it waits, "
              + "reported in every digest, until `casefeed notifications give-up`. 0 keeps no failed mail.")
      .define(RESEND_INTERVAL_MS, Type.LONG, 900_000L, ConfigDef.Range.atLeast(1000), Importance.LOW,
          "Time between resends of a failed mail.");

  private final Map<String, ChannelTarget> channels;
  private final Map<String, List<ChannelTarget>> groupChannels = new LinkedHashMap<>();
  private final List<RecipientGroup> groups;
  private final DigestSchedule schedule;
  private final ZoneId zone;

  public NotifierConfig(Map<?, ?> originals) {
    super(DEFINITION, RENAMED.rename(originals));
    this.zone = parseZone();
    this.schedule = parseSchedule();
    this.channels = parseChannels();
    this.groups = parseGroups();
    checkChannelsUsed();
    awsSettings();
  }

  public static NotifierConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
    return new NotifierConfig(ConfigLoader.load(DEFINITION, RENAMED, file, env, overrides, Set.of(KAFKA_PREFIX, GROUP_PREFIX,
        ChannelTargetConfig.PREFIX)));
  }

  private ZoneId parseZone() {
    try {
      return ZoneId.of(getString(DIGEST_TIMEZONE));
    } catch (DateTimeException e) {
      throw new ConfigException(DIGEST_TIMEZONE, getString(DIGEST_TIMEZONE), "unknown time zone");
    }
  }

  private DigestSchedule parseSchedule() {
    try {
      return DigestSchedule.parse(getString(DIGEST_SCHEDULE), zone);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(DIGEST_SCHEDULE, getString(DIGEST_SCHEDULE), e.getMessage());
    }
  }

  private List<RecipientGroup> parseGroups() {
    Map<String, Object> originals = originals();
    List<RecipientGroup> parsed = new ArrayList<>();
    for (String name : new LinkedHashSet<>(getList(GROUPS))) {
      String prefix = GROUP_PREFIX + name + ".";
      String recipientsKey = prefix + GROUP_RECIPIENTS;
      List<String> recipients = splitList(originals.get(recipientsKey));
      List<ChannelTarget> targets = groupTargets(name, prefix + GROUP_CHANNELS, originals.get(prefix + GROUP_CHANNELS));
      if (recipients.isEmpty() && targets.isEmpty()) {
        throw new ConfigException(recipientsKey, originals.get(recipientsKey), "group '" + name + "' has no recipients (and no "
            + prefix + GROUP_CHANNELS + ")");
      }
      groupChannels.put(name, targets);
      for (String recipient : recipients) {
        if (!EmailAddresses.isValid(recipient)) {
          throw new ConfigException(recipientsKey, recipient, "not a valid e-mail address");
        }
      }
      List<String> accounts = splitList(originals.get(prefix + GROUP_ACCOUNTS));
      for (String account : accounts) {
        if (!account.matches("\\d{12}")) {
          throw new ConfigException(prefix + GROUP_ACCOUNTS, account, "an account id has 12 digits");
        }
      }
      Pattern pattern = null;
      Object patternText = originals.get(prefix + GROUP_ACCOUNT_NAME_PATTERN);
      if (patternText != null && !patternText.toString().isBlank()) {
        try {
          pattern = Pattern.compile(patternText.toString().trim());
        } catch (PatternSyntaxException e) {
          throw new ConfigException(prefix + GROUP_ACCOUNT_NAME_PATTERN, patternText, "not a regular expression: " + e.getDescription());
        }
      }
      parsed.add(new RecipientGroup(name, recipients.stream().distinct().toList(), Set.copyOf(accounts), pattern));
    }
    return List.copyOf(parsed);
  }

  private Map<String, ChannelTarget> parseChannels() {
    Map<String, ChannelTarget> parsed = new LinkedHashMap<>();
    for (String name : new LinkedHashSet<>(getList(CHANNELS))) {
      parsed.put(name, ChannelTargetConfig.parse(name, originalsWithPrefix(ChannelTargetConfig.PREFIX + name + ".")));
    }
    for (String key : originals().keySet()) {
      if (key.startsWith(ChannelTargetConfig.PREFIX)) {
        String rest = key.substring(ChannelTargetConfig.PREFIX.length());
        String name = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
        if (!parsed.containsKey(name)) {
          // A target configured but not listed would silently never be posted to.
          throw new ConfigException(key, "[not shown]", "channel '" + name + "' is not listed in " + CHANNELS);
        }
      }
    }
    return Map.copyOf(parsed);
  }

  private List<ChannelTarget> groupTargets(String group, String key, Object value) {
    List<ChannelTarget> targets = new ArrayList<>();
    for (String name : new LinkedHashSet<>(splitList(value))) {
      ChannelTarget target = channels.get(name);
      if (target == null) {
        throw new ConfigException(key, name, "group '" + group + "' names a channel that " + CHANNELS + " does not list");
      }
      targets.add(target);
    }
    return List.copyOf(targets);
  }

  private void checkChannelsUsed() {
    Set<String> used = new LinkedHashSet<>();
    groupChannels.values().forEach(list -> list.forEach(t -> used.add(t.name())));
    for (String name : getList(CHANNELS)) {
      if (!used.contains(name)) {
        throw new ConfigException(CHANNELS, getList(CHANNELS), "channel '" + name + "' is in no group's "
            + GROUP_PREFIX + "<g>." + GROUP_CHANNELS);
      }
    }
  }

  private static List<String> splitList(Object value) {
    if (value == null) {
      return List.of();
    }
    return Arrays.stream(value.toString().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  public String from() {
    return getString(FROM);
  }

  public List<RecipientGroup> groups() {
    return groups;
  }

  /** The channel targets a group posts its alerts to, in configured order; empty for mail only. */
  public List<ChannelTarget> channelsOf(String group) {
    return groupChannels.getOrDefault(group, List.of());
  }

  public int channelMaxAttempts() {
    return getInt(CHANNELS_MAX_ATTEMPTS);
  }

  public Duration channelBackoff() {
    return Duration.ofMillis(getLong(CHANNELS_BACKOFF_MS));
  }

  public Duration channelBackoffMax() {
    return Duration.ofMillis(getLong(CHANNELS_BACKOFF_MAX_MS));
  }

  public Duration channelRetryAfterMax() {
    return Duration.ofMillis(getLong(CHANNELS_RETRY_AFTER_MAX_MS));
  }

  public Duration channelTimeout() {
    return Duration.ofMillis(getLong(CHANNELS_TIMEOUT_MS));
  }

  public DigestSchedule digestSchedule() {
    return schedule;
  }

  public ZoneId digestZone() {
    return zone;
  }

  public boolean digestOnFirstStart() {
    return getBoolean(DIGEST_ON_FIRST_START);
  }

  public int digestOldestCases() {
    return getInt(DIGEST_OLDEST_CASES);
  }

  public long digestGzipAboveBytes() {
    return getLong(DIGEST_GZIP_ABOVE_BYTES);
  }

  /** Presigned links to the case list for digests too large to carry it; off without a bucket. */
  public CaseListLinks caseListLinks() {
    String bucket = getString(DIGEST_LINK_BUCKET);
    return bucket.isBlank() ? CaseListLinks.off()
        : CaseListLinks.of(awsSettings(), bucket.trim(), getString(DIGEST_LINK_KEY), Duration.ofMillis(getLong(DIGEST_LINK_EXPIRY_MS)));
  }

  public String alertSeverity() {
    return getString(ALERT_SEVERITY).toLowerCase(Locale.ROOT);
  }

  public Duration alertWindow() {
    return Duration.ofMillis(getLong(ALERT_WINDOW_MS));
  }

  public Duration alertGrace() {
    return Duration.ofMillis(getLong(ALERT_GRACE_MS));
  }

  public Duration waitingOnCustomerThreshold() {
    return Duration.ofMillis(getLong(ALERT_WAITING_ON_CUSTOMER_MS));
  }

  public int failingPolls() {
    return getInt(ALERT_FAILING_POLLS);
  }

  public Duration alertMaxCatchUp() {
    return Duration.ofMillis(getLong(ALERT_MAX_CATCH_UP_MS));
  }

  public String consoleCaseUrl() {
    return getString(CONSOLE_CASE_URL);
  }

  public String groupId() {
    return getString(GROUP_ID);
  }

  /** Region, endpoint and credentials of the notifier's AWS clients. */
  @Override
  public AwsSettings awsSettings() {
    return AwsSettings.from(this, getString(AwsSettings.REGION), AWS_SERVICES, AWS_REGIONAL_SERVICES);
  }

  public String sesConfigurationSet() {
    return getString(SES_CONFIGURATION_SET);
  }

  public int sesMaxAttempts() {
    return getInt(SES_MAX_ATTEMPTS);
  }

  public Duration sesBackoff() {
    return Duration.ofMillis(getLong(SES_BACKOFF_MS));
  }

  public Duration sesBackoffMax() {
    return Duration.ofMillis(getLong(SES_BACKOFF_MAX_MS));
  }

  public int resendMax() {
    return getInt(RESEND_MAX);
  }

  public Duration resendInterval() {
    return Duration.ofMillis(getLong(RESEND_INTERVAL_MS));
  }
}
