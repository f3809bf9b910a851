package io.casefeed.common.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;

/**
 * Checks the kafka.* security settings at start, so that a missing secret fails naming its key
 * instead of surfacing later as a Kafka client's login or handshake error. Values are never echoed:
 * they may hold passwords.
 */
final class KafkaSecuritySettings {

  private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
  /** Mechanisms whose login module takes a password in sasl.jaas.config. */
  private static final Set<String> PASSWORD_MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

  private static final Pattern UNRESOLVED = Pattern.compile("\\$\\{[A-Za-z0-9_.-]+:[^}]*}");

  private KafkaSecuritySettings() {}

  /** @param settings the Kafka client settings, keys without the {@code kafka.} prefix */
  static void validate(Map<String, Object> settings) {
    settings.forEach((key, value) -> {
      Matcher unresolved = UNRESOLVED.matcher(String.valueOf(value));
      if (unresolved.find()) {
        // A config provider leaves a reference it cannot resolve (an unset environment variable) as it is.
        throw new ConfigException(CommonConfig.KAFKA_PREFIX + key, "[hidden]",
            "refers to " + unresolved.group() + ", which is not set");
      }
    });
    String protocol = text(settings, "security.protocol");
    if (protocol != null && !PROTOCOLS.contains(protocol.toUpperCase(Locale.ROOT))) {
      throw new ConfigException(CommonConfig.KAFKA_PREFIX + "security.protocol", protocol, "must be one of " + PROTOCOLS);
    }
    if (protocol != null && protocol.toUpperCase(Locale.ROOT).startsWith("SASL_")) {
      String mechanism = text(settings, "sasl.mechanism");
      String normalised = mechanism == null ? "GSSAPI" : mechanism.toUpperCase(Locale.ROOT);
      String jaas = text(settings, "sasl.jaas.config");
      // GSSAPI (Kerberos) may take its login from a JAAS file named by a system property instead.
      if (jaas == null && !"GSSAPI".equals(normalised)) {
        throw new ConfigException(CommonConfig.KAFKA_PREFIX + "sasl.jaas.config", "[missing]",
            "required with kafka.security.protocol=" + protocol + " and kafka.sasl.mechanism=" + normalised);
      }
      if (PASSWORD_MECHANISMS.contains(normalised) && !jaas.contains("password=")) {
        throw new ConfigException(CommonConfig.KAFKA_PREFIX + "sasl.jaas.config", "[hidden]",
            "kafka.sasl.mechanism=" + normalised + " needs username=\"...\" password=\"...\" in the login module options");
      }
    }
    // A truststore may be password-less; a keystore holds the client's private key and may not.
    String keystoreType = text(settings, "ssl.keystore.type");
    boolean pemKeystore = keystoreType != null && "PEM".equals(keystoreType.toUpperCase(Locale.ROOT));
    if (text(settings, "ssl.keystore.location") != null && !pemKeystore && text(settings, "ssl.keystore.password") == null) {
      throw new ConfigException(CommonConfig.KAFKA_PREFIX + "ssl.keystore.password", "[missing]",
          "required with " + CommonConfig.KAFKA_PREFIX + "ssl.keystore.location");
    }
  }

  private static String text(Map<String, Object> settings, String key) {
    Object value = settings.get(key);
    if (value == null) {
      return null;
    }
    String text = value.toString().trim();
    return text.isEmpty() ? null : text;
  }
}
