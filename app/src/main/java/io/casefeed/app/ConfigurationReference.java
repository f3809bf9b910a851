package io.casefeed.app;

import io.casefeed.common.config.CommonConfig;
import io.casefeed.common.config.ConfigLoader;
import io.casefeed.common.config.RenamedKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Writes docs/configuration.md from the apps' own config definitions, so the reference is the
 * code's: {@code java -cp casefeed.jar io.casefeed.app.ConfigurationReference docs/configuration.md}.
 * A test fails when the committed file differs from what this writes.
 */
public final class ConfigurationReference {

  private ConfigurationReference() {}

  public static Map<String, ConfigDef> definitions() {
    Map<String, ConfigDef> apps = new LinkedHashMap<>();
    apps.put("collector", io.casefeed.collector.config.CollectorConfig.DEFINITION);
    apps.put("streams", io.casefeed.streams.config.StreamProcessorConfig.DEFINITION);
    apps.put("sink", io.casefeed.sink.config.SinkConfig.DEFINITION);
    apps.put("notifier", io.casefeed.notifier.config.NotifierConfig.DEFINITION);
    return apps;
  }

  /** Keys each app renamed, still read under their old names with a warning. */
  public static Map<String, RenamedKeys> renamed() {
    Map<String, RenamedKeys> apps = new LinkedHashMap<>();
    apps.put("collector", io.casefeed.collector.config.CollectorConfig.RENAMED);
    apps.put("sink", io.casefeed.sink.config.SinkConfig.RENAMED);
    apps.put("notifier", io.casefeed.notifier.config.NotifierConfig.RENAMED);
    return apps;
  }

  public static String markdown() {
    Set<String> shared = CommonConfig.define(new ConfigDef()).names();
    StringBuilder out = new StringBuilder()
        .append("# Configuration reference\n\n")
        .append("Generated from the code by `io.casefeed.app.ConfigurationReference`; a test keeps it current.\n\n")
        .append("Each app reads `--config FILE` (Java properties), then environment variables, then flags (`--set key=value` where offered); ")
        .append("later wins. The environment variable of a key is `CASEFEED_` plus the key upper-cased with every other character as `_`. ")
        .append("Every `kafka.*` key goes to the Kafka clients as it is. A bad or missing value stops the app at start naming the key; ")
        .append("unknown keys are warned about; `password` values are never logged.\n\n")
        .append("Every app reaches AWS with the same keys: `aws.region`, `aws.endpoint.override` (every service, e.g. local-cloud), ")
        .append("`aws.<service>.endpoint.override` and `aws.<service>.region` (one service), `aws.access.key.id` and `aws.secret.access.key` ")
        .append("(static credentials; otherwise the SDK's default chain: environment, profile, container or instance role).\n\n");
    out.append("## Shared by every app\n\n");
    table(out, CommonConfig.define(new ConfigDef()), key -> true);
    definitions().forEach((app, definition) -> {
      out.append("\n## `casefeed ").append(app).append("`\n\n");
      table(out, definition, key -> !shared.contains(key));
      RenamedKeys renamed = renamed().getOrDefault(app, RenamedKeys.NONE);
      if (!renamed.newNameByOld().isEmpty()) {
        out.append("\nRenamed keys, still read under the old name with a warning at start (a source that sets both names differently fails):\n\n")
            .append("| old key | read as |\n|---|---|\n");
        new java.util.TreeMap<>(renamed.newNameByOld()).forEach((oldKey, newKey) ->
            out.append("| `").append(oldKey).append("` | `").append(newKey).append("` |\n"));
      }
    });
    return out.toString();
  }

  private static void table(StringBuilder out, ConfigDef definition, java.util.function.Predicate<String> include) {
    out.append("| key | environment | type | default | valid values | meaning |\n|---|---|---|---|---|---|\n");
    List<ConfigDef.ConfigKey> keys = definition.configKeys().values().stream().filter(k -> include.test(k.name))
        .sorted(java.util.Comparator.comparing(k -> k.name)).toList();
    for (ConfigDef.ConfigKey key : keys) {
      out.append("| `").append(key.name).append("` | `").append(ConfigLoader.envName(key.name)).append("` | ")
          .append(key.type.name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
          .append(defaultOf(key)).append(" | ")
          .append(cell(describe(key.validator))).append(" | ")
          .append(cell(key.documentation)).append(" |\n");
    }
  }

  /** A validator's own description; a lambda's identity string says nothing to a reader, and changes per run. */
  private static String describe(ConfigDef.Validator validator) {
    if (validator == null) {
      return "";
    }
    String text = validator.toString();
    return text.contains("$$Lambda") || text.startsWith(validator.getClass().getName() + "@") ? "" : text;
  }

  private static String defaultOf(ConfigDef.ConfigKey key) {
    if (!key.hasDefault()) {
      return "(required)";
    }
    if (key.defaultValue == null) {
      return "";
    }
    if (key.type == ConfigDef.Type.PASSWORD) {
      return "(hidden)";
    }
    String value = key.defaultValue instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
        : String.valueOf(key.defaultValue);
    return value.isEmpty() ? "\"\"" : "`" + value + "`";
  }

  private static String cell(String text) {
    return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
  }

  public static void main(String[] args) throws IOException {
    Path target = Path.of(args.length > 0 ? args[0] : "docs/configuration.md");
    Files.writeString(target, markdown());
    System.out.println("wrote " + target);
  }
}
