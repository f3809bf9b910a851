package io.casefeed.notifier.config;

import io.casefeed.notifier.alert.AlertEvent;
import io.casefeed.notifier.view.Severity;
import io.casefeed.notifier.channel.ChannelKind;
import io.casefeed.notifier.channel.BusinessHours;
import io.casefeed.notifier.channel.ChannelTarget;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The keys of one channel target, {@code notifier.channel.<name>.<key>}: a definition of their own
 * (the names are the operator's), so the URL and the secret are {@code PASSWORD} values like any
 * other credential and never reach a log. Every problem names the full key; a secret's value is
 * never repeated in the message.
 */
public final class ChannelTargetConfig {

  public static final String PREFIX = "notifier.channel.";
  public static final String TYPE = "type";
  public static final String URL = "url";
  public static final String SECRET = "secret";
  public static final String TOPIC_ARN = "topic.arn";
  public static final String TOKEN = "token";
  public static final String SLACK_CHANNEL = "channel";
  /** Where a Slack target with a bot token posts when it names no URL. */
  public static final String SLACK_POST_MESSAGE = "https://slack.com/api/chat.postMessage";
  private static final Pattern SLACK_CHANNEL_ID = Pattern.compile("[A-Z0-9]{9,12}|#?[a-z0-9_-]{1,80}");
  /** An SNS topic's ARN in any partition; a FIFO topic's name ends in {@code .fifo}. */
  private static final Pattern SNS_TOPIC_ARN =
      Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?");
  public static final String MIN_SEVERITY = "min.severity";
  public static final String CHANGES = "changes";
  public static final String DIGESTS = "digests";
  public static final String HOURS = "hours";
  public static final String TIMEZONE = "timezone";
  /** The shortest webhook secret accepted: 128 bits as hex, or a long passphrase. */
  static final int MIN_SECRET_CHARS = 16;
  private static final String HIDDEN = "[hidden]";

  /** The change names of {@link #CHANGES}, as the CloudEvents type ends. */
  static final Map<String, AlertEvent.Kind> CHANGE_NAMES = Map.of(
      "opened", AlertEvent.Kind.NEW_CASE,
      "escalated", AlertEvent.Kind.ESCALATION,
      "waiting-on-customer", AlertEvent.Kind.WAITING_ON_CUSTOMER,
      "account-unreadable", AlertEvent.Kind.ACCOUNT_UNREADABLE);

  public static final ConfigDef DEFINITION = new ConfigDef()
      .define(TYPE, Type.STRING, null, Importance.HIGH, "webhook, slack, teams or sns (required).")
      .define(URL, Type.PASSWORD, null, Importance.HIGH,
          "Where to POST (required but for sns and a slack bot token): the generic webhook's URL, the Slack "
              + "incoming-webhook URL (or the Web API's chat.postMessage URL with token) or the Teams Workflows URL. "
              + "A credential: never logged.")
      .define(TOPIC_ARN, Type.STRING, null, Importance.HIGH,
          "The SNS topic's ARN (required for sns, and only there). A FIFO topic (.fifo) gets the case id as "
              + "MessageGroupId and the notification id as MessageDeduplicationId. The client is built from the aws.* "
              + "settings (region, endpoint, credentials).")
      .define(TOKEN, Type.PASSWORD, null, Importance.HIGH,
          "A Slack bot token (xoxb-...): the target posts with the Web API's chat.postMessage (to url, default "
              + SLACK_POST_MESSAGE + ") instead of an incoming webhook, one message per alert, and a case's later alerts "
              + "reply in the thread of its first. Slack only; needs channel. Never logged.")
      .define(SLACK_CHANNEL, Type.STRING, null, Importance.HIGH,
          "The Slack channel a bot-token target posts to (its id, e.g. C0123456789, or its name); required with token.")
      .define(SECRET, Type.PASSWORD, null, Importance.HIGH,
          "HMAC-SHA256 key of the X-Casefeed-Signature header; required for a webhook, at least " + MIN_SECRET_CHARS
              + " characters. Never logged.")
      .define(MIN_SEVERITY, Type.STRING, null, Importance.MEDIUM,
          "Case alerts below this severity are not posted to this target (one of " + Severity.ORDER
              + "); empty = every case the notifier alerts on (notifier.alert.severity).")
      .define(CHANGES, Type.LIST, String.join(",", List.of("opened", "escalated", "waiting-on-customer", "account-unreadable")),
          Importance.MEDIUM, "Which alerts this target takes: opened, escalated, waiting-on-customer, account-unreadable.")
      .define(HOURS, Type.STRING, "", Importance.MEDIUM,
          "When this target takes alerts, e.g. Mon-Fri 09:00-18:00 (days: * or a list of days and ranges; an end before the "
              + "start runs overnight), in its timezone; decided by the alert window's start. Empty = at any hour. Mail and "
              + "digests are not affected.")
      .define(TIMEZONE, Type.STRING, "UTC", Importance.MEDIUM, "The time zone of hours (an IANA name, e.g. Europe/Berlin).")
      .define(DIGESTS, Type.BOOLEAN, false, Importance.MEDIUM,
          "Post each digest of the target's groups here too, as a summary (counts, urgent and longest-open cases) with a "
              + "presigned link to the case list when notifier.digest.link.s3.bucket is set. slack and teams only.");

  private ChannelTargetConfig() {}

  /** One target from the keys under {@code notifier.channel.<name>.}, checked. */
  static ChannelTarget parse(String name, Map<String, Object> keysUnderPrefix) {
    String prefix = PREFIX + name + ".";
    AbstractConfig config;
    try {
      config = new AbstractConfig(DEFINITION, keysUnderPrefix, false);
    } catch (ConfigException e) {
      throw new ConfigException(prefix + "*: " + e.getMessage());
    }
    String typeText = config.getString(TYPE);
    ChannelKind kind = ChannelKind.parse(typeText).orElseThrow(() -> new ConfigException(prefix + TYPE, typeText,
        "must be one of " + Arrays.stream(ChannelKind.values()).map(ChannelKind::configName).toList()));
    URI url = null;
    String topicArn = config.getString(TOPIC_ARN);
    if (kind == ChannelKind.SNS) {
      if (config.getPassword(URL) != null) {
        throw new ConfigException(prefix + URL, HIDDEN, "an sns target publishes to " + prefix + TOPIC_ARN + ", not to a URL");
      }
      if (topicArn == null || !SNS_TOPIC_ARN.matcher(topicArn.trim()).matches()) {
        throw new ConfigException(prefix + TOPIC_ARN, topicArn, "an sns target needs an SNS topic ARN "
            + "(arn:aws:sns:<region>:<account id>:<topic name>)");
      }
      topicArn = topicArn.trim();
    } else {
      if (topicArn != null) {
        throw new ConfigException(prefix + TOPIC_ARN, topicArn, "only an sns target has a topic");
      }
    }
    Password tokenValue = config.getPassword(TOKEN);
    String token = tokenValue == null || tokenValue.value().isBlank() ? null : tokenValue.value().trim();
    String slackChannel = config.getString(SLACK_CHANNEL);
    if (token != null && kind != ChannelKind.SLACK) {
      throw new ConfigException(prefix + TOKEN, HIDDEN, "only a slack target posts with a bot token");
    }
    if (token == null && slackChannel != null) {
      throw new ConfigException(prefix + SLACK_CHANNEL, slackChannel, "a channel is named only with " + prefix + TOKEN
          + "; an incoming webhook's channel is fixed by its URL");
    }
    if (token != null && (slackChannel == null || !SLACK_CHANNEL_ID.matcher(slackChannel.trim()).matches())) {
      throw new ConfigException(prefix + SLACK_CHANNEL, slackChannel, "a slack target with a bot token needs the channel "
          + "to post to (an id like C0123456789, or a name)");
    }
    if (kind != ChannelKind.SNS) {
      url = token != null && config.getPassword(URL) == null ? URI.create(SLACK_POST_MESSAGE) : url(prefix + URL, config.getPassword(URL));
    }
    Password secretValue = config.getPassword(SECRET);
    String secret = secretValue == null || secretValue.value().isBlank() ? null : secretValue.value();
    if (kind == ChannelKind.WEBHOOK && (secret == null || secret.length() < MIN_SECRET_CHARS)) {
      throw new ConfigException(prefix + SECRET, HIDDEN, "a webhook needs a signing secret of at least " + MIN_SECRET_CHARS
          + " characters");
    }
    if (kind != ChannelKind.WEBHOOK && secret != null) {
      throw new ConfigException(prefix + SECRET, HIDDEN, "only a webhook signs its posts; " + kind.configName()
          + (kind == ChannelKind.SNS ? " is authorised by IAM" : " authenticates by its URL"));
    }
    String minSeverity = config.getString(MIN_SEVERITY);
    if (minSeverity != null && minSeverity.isBlank()) {
      minSeverity = null;
    }
    if (minSeverity != null && Severity.rank(minSeverity) < 0) {
      throw new ConfigException(prefix + MIN_SEVERITY, minSeverity, "must be one of " + Severity.ORDER);
    }
    Set<AlertEvent.Kind> changes = EnumSet.noneOf(AlertEvent.Kind.class);
    for (String change : config.getList(CHANGES)) {
      AlertEvent.Kind k = CHANGE_NAMES.get(change.trim().toLowerCase(Locale.ROOT));
      if (k == null) {
        throw new ConfigException(prefix + CHANGES, change, "must be among " + CHANGE_NAMES.keySet().stream().sorted()
            .collect(Collectors.joining(", ")));
      }
      changes.add(k);
    }
    if (changes.isEmpty()) {
      throw new ConfigException(prefix + CHANGES, "", "a target that takes no change would never be posted to");
    }
    boolean digests = config.getBoolean(DIGESTS);
    if (digests && kind != ChannelKind.SLACK && kind != ChannelKind.TEAMS) {
      throw new ConfigException(prefix + DIGESTS, true, "digests are posted to slack and teams targets only, not to " + kind.configName());
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(config.getString(TIMEZONE).trim());
    } catch (DateTimeException e) {
      throw new ConfigException(prefix + TIMEZONE, config.getString(TIMEZONE), "not a time zone (an IANA name like Europe/Berlin)");
    }
    BusinessHours hours;
    try {
      hours = BusinessHours.parse(config.getString(HOURS), zone);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(prefix + HOURS, config.getString(HOURS), e.getMessage());
    }
    return new ChannelTarget(name, kind, url, token != null ? token : secret,
        minSeverity == null ? null : minSeverity.toLowerCase(Locale.ROOT), changes, token != null ? slackChannel.trim() : topicArn,
        digests, hours);
  }

  private static URI url(String key, Password value) {
    if (value == null || value.value().isBlank()) {
      throw new ConfigException(key, null, "the target's URL is required");
    }
    try {
      URI uri = new URI(value.value().trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
        throw new ConfigException(key, HIDDEN, "not an http(s) URL with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      // The reason only: the URL is a credential, and the parser's message would quote it.
      throw new ConfigException(key, HIDDEN, "not a URL (" + e.getReason() + ")");
    }
  }
}
