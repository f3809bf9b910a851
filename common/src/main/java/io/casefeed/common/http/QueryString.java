package io.casefeed.common.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one parser of {@code application/x-www-form-urlencoded} text, for URL query strings and
 * form bodies alike: names and values percent-decoded as UTF-8, {@code +} as a space, order kept,
 * a name without {@code =} has the empty value.
 */
public final class QueryString {

  private static final QueryString EMPTY = new QueryString(Map.of());

  private final Map<String, List<String>> values;

  private QueryString(Map<String, List<String>> values) {
    this.values = values;
  }

  /** @param raw the still-encoded text (without the leading {@code ?}), or null */
  public static QueryString parse(String raw) {
    if (raw == null || raw.isEmpty()) {
      return EMPTY;
    }
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      values.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
    }
    return new QueryString(values);
  }

  /** Percent-decodes one component; a malformed escape is the client's error. */
  public static String decode(String encoded) {
    try {
      return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new HttpProblem(400, "malformed percent-encoding: " + e.getMessage());
    }
  }

  /** The first value of {@code name}. */
  public Optional<String> first(String name) {
    List<String> all = values.get(name);
    return all == null ? Optional.empty() : Optional.of(all.get(0));
  }

  /** The last value of {@code name}, or null: the value that wins when a name repeats. */
  public String get(String name) {
    List<String> all = values.get(name);
    return all == null ? null : all.get(all.size() - 1);
  }

  public List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** Each name with its last value, in first-seen order. */
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    values.forEach((name, all) -> map.put(name, all.get(all.size() - 1)));
    return map;
  }

  /** Every name with all its values, in first-seen order. */
  public Map<String, List<String>> asMultiMap() {
    return Collections.unmodifiableMap(values);
  }
}
