package io.casefeed.sink.athena;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes maps, lists, strings, numbers and booleans as block-style YAML. Every string is
 * double-quoted with JSON escapes, which YAML reads back unchanged, so no value is ever taken for
 * a number, a boolean or a tag.
 */
final class BlockYaml {

  private BlockYaml() {}

  /** The entries of a map, each key at {@code indent} spaces. */
  static String entries(Map<String, ?> map, int indent) {
    StringBuilder out = new StringBuilder();
    writeMap(map, indent, out);
    return out.toString();
  }

  private static void writeMap(Map<String, ?> map, int indent, StringBuilder out) {
    for (Map.Entry<String, ?> entry : map.entrySet()) {
      out.append(" ".repeat(indent)).append(key(entry.getKey())).append(':');
      writeValue(entry.getValue(), indent, out);
    }
  }

  private static void writeValue(Object value, int indent, StringBuilder out) {
    if (value instanceof Map<?, ?> map && !map.isEmpty()) {
      out.append('\n');
      @SuppressWarnings("unchecked")
      Map<String, ?> typed = (Map<String, ?>) map;
      writeMap(typed, indent + 2, out);
    } else if (value instanceof List<?> list && !list.isEmpty()) {
      out.append('\n');
      for (Object element : list) {
        out.append(" ".repeat(indent + 2)).append("-");
        if (element instanceof Map<?, ?> map && !map.isEmpty()) {
          // The first entry shares the dash's line; the others align under it.
          @SuppressWarnings("unchecked")
          Map<String, ?> typed = (Map<String, ?>) map;
          StringBuilder item = new StringBuilder();
          writeMap(typed, indent + 4, item);
          out.append(' ').append(item.substring(indent + 4));
        } else {
          StringBuilder item = new StringBuilder();
          writeValue(element, indent + 2, item);
          out.append(item);
        }
      }
    } else {
      out.append(' ').append(scalar(value)).append('\n');
    }
  }

  private static String key(String key) {
    return key.matches("[A-Za-z][A-Za-z0-9_:.-]*") ? key : quote(key);
  }

  private static String scalar(Object value) {
    if (value instanceof Map<?, ?>) {
      return "{}";
    }
    if (value instanceof List<?>) {
      return "[]";
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    return quote(String.valueOf(value));
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
