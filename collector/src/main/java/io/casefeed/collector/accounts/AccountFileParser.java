package io.casefeed.collector.accounts;

import io.casefeed.collector.config.CollectorConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the seed's account file: one account id per line; lines trimmed, blank lines and '#'
 * comments skipped; an invalid line is reported with its number and skipped, never fatal.
 */
public final class AccountFileParser {

  /** An account file line that is not an account id. */
  public record BadLine(int lineNumber, String content, String reason) {}

  public record Result(List<String> accountIds, List<BadLine> badLines) {}

  private AccountFileParser() {}

  public static Result parse(String content) {
    Set<String> ids = new LinkedHashSet<>();
    List<BadLine> bad = new ArrayList<>();
    String[] lines = content.split("\r?\n|\r", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (i == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1).strip();
      }
      int comment = line.indexOf('#');
      if (comment >= 0) {
        line = line.substring(0, comment).strip();
      }
      if (line.isEmpty()) {
        continue;
      }
      if (CollectorConfig.isAccountId(line)) {
        ids.add(line);
      } else {
        bad.add(new BadLine(i + 1, line, "not a 12-digit AWS account id"));
      }
    }
    return new Result(List.copyOf(ids), List.copyOf(bad));
  }
}
