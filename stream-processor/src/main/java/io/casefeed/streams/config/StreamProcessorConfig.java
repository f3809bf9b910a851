package io.casefeed.streams.config;

import io.casefeed.common.config.CommonConfig;
import io.casefeed.common.config.ConfigLoader;
import io.casefeed.common.http.TokenRules;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Configuration of {@code casefeed streams}: the Kafka Streams app and its query API. */
public final class StreamProcessorConfig extends CommonConfig {

  public static final String APPLICATION_ID = "streams.application.id";
  public static final String PROCESSING_GUARANTEE = "streams.processing.guarantee";
  public static final String STATE_DIR = "streams.state.dir";
  public static final String NUM_THREADS = "streams.num.threads";
  public static final String COMMIT_INTERVAL_MS = "streams.commit.interval.ms";
  public static final String APPLICATION_SERVER = "streams.application.server";
  public static final String HISTORY_MAX_CHANGES = "streams.history.max.changes";
  public static final String QUERY_ENABLED = "query.enabled";
  public static final String QUERY_BIND_ADDRESS = "query.bind.address";
  public static final String QUERY_PORT = "query.port";
  public static final String QUERY_TOKEN = "query.token";
  public static final String QUERY_NOTIFICATIONS_ENABLED = "query.notifications.enabled";
  public static final String QUERY_NOTIFICATIONS_RECENT = "query.notifications.recent";

  public static final ConfigDef DEFINITION = CommonConfig.define(new ConfigDef())
      .define(APPLICATION_ID, Type.STRING, "casefeed-streams", new ConfigDef.NonEmptyString(), Importance.HIGH,
          "Kafka Streams application.id: consumer group, transactional ids and internal topic prefix. Changing it starts from scratch.")
      .define(PROCESSING_GUARANTEE, Type.STRING, "exactly_once_v2", ConfigDef.ValidString.in("exactly_once_v2", "at_least_once"),
          Importance.MEDIUM, "exactly_once_v2 (outputs are transactional; readers use isolation.level=read_committed) or at_least_once.")
      .define(STATE_DIR, Type.STRING, defaultStateDir(), new ConfigDef.NonEmptyString(), Importance.MEDIUM,
          "Directory of the local state stores (RocksDB); keep it on a persistent disk so a restart does not restore from the changelogs.")
      .define(NUM_THREADS, Type.INT, 1, ConfigDef.Range.between(1, 64), Importance.LOW, "Stream threads in this instance.")
      .define(COMMIT_INTERVAL_MS, Type.LONG, 1000L, ConfigDef.Range.atLeast(10), Importance.LOW,
          "How often a transaction commits: the upper bound of the delay before read_committed readers see output.")
      .define(APPLICATION_SERVER, Type.STRING, "", new HostPortValidator(), Importance.MEDIUM,
          "host:port where other instances reach this instance's query API (multi-instance queries); empty for a single instance.")
      .define(HISTORY_MAX_CHANGES, Type.INT, 100, ConfigDef.Range.between(1, 10_000), Importance.LOW,
          "Change events kept per case for /api/cases/{accountId}/{caseId}; older ones stay in casefeed.case-changes.")
      .define(QUERY_ENABLED, Type.BOOLEAN, true, Importance.LOW, "Serve the query API.")
      .define(QUERY_BIND_ADDRESS, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
          "Address the query API listens on; a non-loopback address requires query.token.")
      .define(QUERY_PORT, Type.INT, 8090, ConfigDef.Range.between(0, 65535), Importance.MEDIUM,
          "Port of the query API; 0 picks a free port.")
      .define(QUERY_TOKEN, Type.PASSWORD, null, Importance.MEDIUM,
          "Bearer token the query API requires (Authorization: Bearer <token>), at least 16 characters; required when bound to a non-loopback address.")
      .define(QUERY_NOTIFICATIONS_ENABLED, Type.BOOLEAN, true, Importance.LOW,
          "Follow the notifier's ledger (casefeed.notifications) for /api/notifications and the dashboard's Notifications tab: "
              + "recent mails and posts per channel target, and targets that refuse them (4xx). Needs read access to that topic.")
      .define(QUERY_NOTIFICATIONS_RECENT, Type.INT, 20, ConfigDef.Range.between(1, 500), Importance.LOW,
          "Notifications listed per channel target on /api/notifications (the newest first).");

  public StreamProcessorConfig(Map<?, ?> originals) {
    super(DEFINITION, originals);
    if (getBoolean(QUERY_ENABLED) && !isLoopback(queryBindAddress()) && queryToken() == null) {
      throw new ConfigException(QUERY_TOKEN, "[hidden]",
          "required when " + QUERY_BIND_ADDRESS + " (" + queryBindAddress() + ") is not a loopback address");
    }
    String weakness = TokenRules.weakness(queryToken());
    if (weakness != null) {
      // Said at start, with the key: a guessable token is no protection.
      throw new ConfigException(QUERY_TOKEN, "[hidden]", weakness);
    }
    if (!applicationServer().isEmpty() && !getBoolean(QUERY_ENABLED)) {
      throw new ConfigException(APPLICATION_SERVER, applicationServer(), "needs " + QUERY_ENABLED + "=true: other instances forward queries to it");
    }
  }

  public static StreamProcessorConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
    return new StreamProcessorConfig(ConfigLoader.load(DEFINITION, file, env, overrides, Set.of(KAFKA_PREFIX)));
  }

  public String applicationId() {
    return getString(APPLICATION_ID);
  }

  public String processingGuarantee() {
    return getString(PROCESSING_GUARANTEE);
  }

  public String stateDir() {
    return getString(STATE_DIR);
  }

  public int numThreads() {
    return getInt(NUM_THREADS);
  }

  public long commitIntervalMs() {
    return getLong(COMMIT_INTERVAL_MS);
  }

  public String applicationServer() {
    return getString(APPLICATION_SERVER);
  }

  public int historyMaxChanges() {
    return getInt(HISTORY_MAX_CHANGES);
  }

  public boolean queryEnabled() {
    return getBoolean(QUERY_ENABLED);
  }

  public String queryBindAddress() {
    return getString(QUERY_BIND_ADDRESS);
  }

  public int queryPort() {
    return getInt(QUERY_PORT);
  }

  public boolean queryNotificationsEnabled() {
    return getBoolean(QUERY_NOTIFICATIONS_ENABLED);
  }

  public int queryNotificationsRecent() {
    return getInt(QUERY_NOTIFICATIONS_RECENT);
  }

  /** The bearer token, or null when none is required. */
  public String queryToken() {
    Password token = getPassword(QUERY_TOKEN);
    return token == null || token.value().isEmpty() ? null : token.value();
  }

  private static String defaultStateDir() {
    return Path.of(System.getProperty("java.io.tmpdir"), "casefeed-streams").toString();
  }

  static boolean isLoopback(String address) {
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new ConfigException(QUERY_BIND_ADDRESS, address, "unknown host");
    }
  }

  /** host:port with a port in 1..65535, or empty. */
  static final class HostPortValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      String s = value == null ? "" : value.toString();
      if (s.isEmpty()) {
        return;
      }
      int colon = s.lastIndexOf(':');
      if (colon <= 0) {
        throw new ConfigException(name, value, "must be host:port");
      }
      try {
        int port = Integer.parseInt(s.substring(colon + 1));
        if (port < 1 || port > 65535) {
          throw new ConfigException(name, value, "port must be 1..65535");
        }
      } catch (NumberFormatException e) {
        throw new ConfigException(name, value, "port is not a number");
      }
    }

    @Override
    public String toString() {
      return "host:port or empty";
    }
  }
}
