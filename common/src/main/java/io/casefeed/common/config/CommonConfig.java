package io.casefeed.common.config;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings every casefeed app shares: how to reach Kafka and the schema registry. Each app's config
 * class adds its own keys to {@link #define(ConfigDef)} and extends this class.
 */
public class CommonConfig extends AbstractConfig {

  public static final String KAFKA_PREFIX = "kafka.";
  public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String SCHEMA_REGISTRY_USER_INFO = "schema.registry.basic.auth.user.info";
  public static final String SCHEMA_REGISTRY_AUTO_REGISTER = "schema.registry.auto.register";
  public static final String TOPIC_REPLICATION_FACTOR = "topic.replication.factor";
  public static final String TOPIC_CREATE = "topic.create";
  public static final String TOPIC_PREFIX = "topic.prefix";
  public static final String PRIVACY_SUBJECTS = "privacy.subjects";
  public static final String PRIVACY_BODIES = "privacy.bodies";
  public static final String PRIVACY_EMAILS = "privacy.emails";
  public static final String OPS_BIND = "ops.bind";
  public static final String OPS_PORT = "ops.port";

  public static ConfigDef define(ConfigDef def) {
    return def
        .define(BOOTSTRAP_SERVERS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString() {
              @Override
              public void ensureValid(String name, Object value) {
                if (value == null || ((java.util.List<?>) value).isEmpty()) {
                  throw new org.apache.kafka.common.config.ConfigException(name, value, "at least one host:port is needed");
                }
              }
            },
            Importance.HIGH, "Kafka brokers, host:port[,host:port]. Other kafka.* keys (security.protocol, sasl.*, ssl.*) go to every Kafka client as they are.")
        .define(SCHEMA_REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new UrlValidator(), Importance.HIGH,
            "Confluent-compatible schema registry URL.")
        .define(SCHEMA_REGISTRY_USER_INFO, Type.PASSWORD, null, Importance.MEDIUM,
            "user:password for the registry's basic authentication (Confluent Cloud); never logged.")
        .define(SCHEMA_REGISTRY_AUTO_REGISTER, Type.BOOLEAN, true, Importance.LOW,
            "Register value schemas on first write; set false where schemas are managed centrally.")
        .define(TOPIC_REPLICATION_FACTOR, Type.SHORT, (short) 3, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
            "Replication factor of the topics casefeed creates (1 on a single embedded broker).")
        .define(TOPIC_CREATE, Type.BOOLEAN, true, Importance.LOW,
            "Create casefeed's topics at start when missing.")
        .define(TOPIC_PREFIX, Type.STRING, "", Importance.LOW,
            "Prepended to every casefeed topic name, to run several pipelines on one cluster (tests use it).")
        .define(PRIVACY_SUBJECTS, Type.STRING, "keep", ConfigDef.CaseInsensitiveValidString.in("keep", "hash", "redact"),
            Importance.MEDIUM, "Case subjects where they leave Kafka (S3 objects, mails, query API, dashboard): keep, hash or redact.")
        .define(PRIVACY_BODIES, Type.STRING, "keep", ConfigDef.CaseInsensitiveValidString.in("keep", "hash", "redact"),
            Importance.MEDIUM, "Communication bodies where they leave Kafka (mails, query API, dashboard; the sink never writes them): keep, hash or redact.")
        .define(PRIVACY_EMAILS, Type.STRING, "keep", ConfigDef.CaseInsensitiveValidString.in("keep", "hash", "redact"),
            Importance.MEDIUM, "E-mail addresses in cases (submittedBy, cc, communication authors) where they leave Kafka: keep, hash or redact.")
        .define(OPS_BIND, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.LOW,
            "Address of the /health and /metrics (Prometheus) endpoints.")
        .define(OPS_PORT, Type.INT, -1, ConfigDef.Range.between(-1, 65_535), Importance.LOW,
            "Port of the /health and /metrics endpoints; -1 = not served, 0 = any free port.");
  }

  public CommonConfig(ConfigDef definition, Map<?, ?> originals) {
    super(definition, originals, false);
    KafkaSecuritySettings.validate(kafkaClientSettings());
  }

  /** Settings for any Kafka client: every kafka.* key with the prefix removed. */
  public Map<String, Object> kafkaClientSettings() {
    Map<String, Object> settings = new HashMap<>();
    originalsWithPrefix(KAFKA_PREFIX).forEach((k, v) -> settings.put(k, v instanceof Password p ? p.value() : v));
    settings.put("bootstrap.servers", String.join(",", getList(BOOTSTRAP_SERVERS)));
    return settings;
  }

  public String schemaRegistryUrl() {
    return getString(SCHEMA_REGISTRY_URL);
  }

  public Password schemaRegistryUserInfo() {
    return getPassword(SCHEMA_REGISTRY_USER_INFO);
  }

  public boolean autoRegisterSchemas() {
    return getBoolean(SCHEMA_REGISTRY_AUTO_REGISTER);
  }

  public short replicationFactor() {
    return getShort(TOPIC_REPLICATION_FACTOR);
  }

  public String opsBind() {
    return getString(OPS_BIND);
  }

  public int opsPort() {
    return getInt(OPS_PORT);
  }

  /** The /health and /metrics server this config asks for (not started), or null when ops.port is -1. */
  public io.casefeed.common.ops.OpsServer opsServer() {
    return opsPort() < 0 ? null : new io.casefeed.common.ops.OpsServer(opsBind(), opsPort());
  }

  /** The topic name to use for a catalogue topic: the prefix, then the catalogue name. */
  public String topicName(String catalogueName) {
    return getString(TOPIC_PREFIX) + catalogueName;
  }

  public boolean createTopics() {
    return getBoolean(TOPIC_CREATE);
  }

  /** Validates a URL is http(s). */
  public static final class UrlValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (value == null) {
        return;
      }
      String s = value.toString();
      try {
        java.net.URI uri = new java.net.URI(s);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
          throw new org.apache.kafka.common.config.ConfigException(name, value, "must be an http:// or https:// URL");
        }
      } catch (java.net.URISyntaxException e) {
        throw new org.apache.kafka.common.config.ConfigException(name, value, "not a URL: " + e.getMessage());
      }
    }

    @Override
    public String toString() {
      return "http(s) URL";
    }
  }
}
