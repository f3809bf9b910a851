package io.casefeed.common.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where configuration comes from: a properties file, then environment variables
 * ({@code CASEFEED_<KEY>}, the key upper-cased with every non-alphanumeric character as '_'), then
 * explicit overrides (command-line flags). Later sources win. Keys under a pass-through prefix
 * (such as {@code kafka.}) go to the Kafka clients as they are.
 */
public final class ConfigLoader {

  public static final String ENV_PREFIX = "CASEFEED_";
  /** Kafka's config providers (e.g. ${env:NAME}) are understood by every config class. */
  private static final String CONFIG_PROVIDERS = "config.providers";
  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  private ConfigLoader() {}

  /** The environment variable that sets {@code key}. */
  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /**
   * Merges the sources into raw properties for {@code definition}. Unknown keys are warned about,
   * never fatal: a newer config file must still start an older casefeed.
   */
  public static Map<String, String> load(
      ConfigDef definition, Path file, Map<String, String> env, Map<String, String> overrides, Set<String> passThroughPrefixes) {
    return load(definition, RenamedKeys.NONE, file, env, overrides, passThroughPrefixes);
  }

  /**
   * As {@link #load(ConfigDef, Path, Map, Map, Set)}, reading every renamed key (in the file, as an
   * environment variable or as an override) under its new name.
   */
  public static Map<String, String> load(ConfigDef definition, RenamedKeys renamed,
      Path file, Map<String, String> env, Map<String, String> overrides, Set<String> passThroughPrefixes) {
    Map<String, String> merged = new TreeMap<>();
    if (file != null) {
      merged.putAll(renamed.apply(readFile(file), "the config file"));
    }
    Map<String, String> fromEnv = new TreeMap<>();
    for (String key : definition.names()) {
      String value = env.get(envName(key));
      if (value != null) {
        fromEnv.put(key, value);
      }
    }
    for (String oldKey : renamed.newNameByOld().keySet()) {
      String value = env.get(envName(oldKey));
      if (value != null) {
        fromEnv.put(oldKey, value);
      }
    }
    merged.putAll(renamed.apply(fromEnv, "the environment"));
    merged.putAll(renamed.apply(overrides, "the command line"));
    Set<String> unknown = new TreeSet<>();
    for (String key : merged.keySet()) {
      if (!definition.names().contains(key) && !key.startsWith(CONFIG_PROVIDERS)
          && passThroughPrefixes.stream().noneMatch(key::startsWith)) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      LOG.warn("unknown configuration keys ignored: {}", unknown);
    }
    return merged;
  }

  static Map<String, String> readFile(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + " does not exist");
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
    }
    Map<String, String> map = new TreeMap<>();
    properties.stringPropertyNames().forEach(k -> map.put(k, properties.getProperty(k).trim()));
    return map;
  }
}
