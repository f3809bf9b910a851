package io.casefeed.common.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys that were renamed, old name to new, so that a config file written for an older casefeed
 * still starts a newer one. An old key is read as its new name with a warning; the same source
 * setting both names to different values fails, because neither reading could be right.
 */
public final class RenamedKeys {

  public static final RenamedKeys NONE = new RenamedKeys(Map.of());
  private static final Logger LOG = LoggerFactory.getLogger(RenamedKeys.class);

  private final Map<String, String> newNameByOld;

  private RenamedKeys(Map<String, String> newNameByOld) {
    this.newNameByOld = Collections.unmodifiableMap(new LinkedHashMap<>(newNameByOld));
  }

  /** @param newNameByOld old key to the key that replaces it */
  public static RenamedKeys of(Map<String, String> newNameByOld) {
    return new RenamedKeys(newNameByOld);
  }

  public RenamedKeys and(RenamedKeys more) {
    Map<String, String> all = new LinkedHashMap<>(newNameByOld);
    all.putAll(more.newNameByOld);
    return new RenamedKeys(all);
  }

  public Map<String, String> newNameByOld() {
    return newNameByOld;
  }

  /** Settings given to a config class directly, with every old key under its new name. */
  public Map<String, Object> rename(Map<?, ?> originals) {
    Map<String, Object> settings = new TreeMap<>();
    originals.forEach((k, v) -> settings.put(String.valueOf(k), v));
    return apply(settings, "the settings");
  }

  /** One source's settings with every old key under its new name. */
  <V> Map<String, V> apply(Map<String, V> source, String sourceName) {
    Map<String, V> renamed = new TreeMap<>(source);
    newNameByOld.forEach((oldKey, newKey) -> {
      V value = renamed.remove(oldKey);
      if (value == null) {
        return;
      }
      V current = renamed.get(newKey);
      if (current != null && !Objects.equals(String.valueOf(current), String.valueOf(value))) {
        throw new ConfigException(oldKey, "[not shown]",
            "was renamed to " + newKey + ", and " + sourceName + " sets both to different values; keep only " + newKey);
      }
      if (!"the settings".equals(sourceName)) {
        LOG.warn("configuration key {} ({}) is deprecated; it is read as {}", oldKey, sourceName, newKey);
      }
      renamed.put(newKey, value);
    });
    return renamed;
  }
}
