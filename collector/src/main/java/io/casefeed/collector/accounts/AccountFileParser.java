package io.casefeed.collector.accounts;

import io.casefeed.collector.config.CollectorConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the seed's account file: one account id per line; lines trimmed, blank lines and '#'
 * comments skipped; an invalid line is reported with its number and skipped, never fatal.
 *
 * <p>The file comes from an S3 bucket someone else may write to, so what it costs is bounded: the
 * caller caps its size ({@link #MAX_FILE_BYTES}), a line longer than {@link #MAX_LINE_CHARS} is a
 * bad line, and only the first {@link #SAMPLE_BAD_LINES} bad lines are kept (cut short, control
 * characters escaped), with the count of all of them.
 */
public final class AccountFileParser {

  /** Far above 10,000 accounts with comments (about 130 KB without), far below what hurts a small heap. */
  public static final int MAX_FILE_BYTES = 8 * 1024 * 1024;

  /** An id with a long comment fits; a line past this is not an account line. */
  public static final int MAX_LINE_CHARS = 4096;

  /** Bad lines kept with their content; the rest are only counted. */
  public static final int SAMPLE_BAD_LINES = 5;

  /** Characters of a bad line kept for the log. */
  static final int SHOWN_CHARS = 80;

  /** An account file line that is not an account id; {@code content} is shortened and safe to log. */
  public record BadLine(int lineNumber, String content, String reason) {}

  /**
   * @param badLines the first {@link #SAMPLE_BAD_LINES} bad lines
   * @param badLineCount every bad line
   */
  public record Result(List<String> accountIds, List<BadLine> badLines, int badLineCount) {}

  private AccountFileParser() {}

  public static Result parse(String content) {
    Set<String> ids = new LinkedHashSet<>();
    List<BadLine> bad = new ArrayList<>();
    int badCount = 0;
    // A byte order mark is not part of the first line.
    int start = content.startsWith("\uFEFF") ? 1 : 0;
    int lineNumber = 0;
    int length = content.length();
    // One pass over the text without splitting it: a file of newlines costs no array of empty strings.
    while (start <= length) {
      int end = start;
      while (end < length && content.charAt(end) != '\n' && content.charAt(end) != '\r') {
        end++;
      }
      lineNumber++;
      String reason = null;
      String shown = null;
      if (end - start > MAX_LINE_CHARS) {
        reason = "line longer than " + MAX_LINE_CHARS + " characters";
        shown = content.substring(start, start + SHOWN_CHARS + 1);
      } else {
        String line = content.substring(start, end).strip();
        int comment = line.indexOf('#');
        if (comment >= 0) {
          line = line.substring(0, comment).strip();
        }
        if (CollectorConfig.isAccountId(line)) {
          ids.add(line);
        } else if (!line.isEmpty()) {
          reason = "not a 12-digit AWS account id";
          shown = line;
        }
      }
      if (reason != null) {
        badCount++;
        if (bad.size() < SAMPLE_BAD_LINES) {
          bad.add(new BadLine(lineNumber, printable(shown), reason));
        }
      }
      if (end < length && content.charAt(end) == '\r' && end + 1 < length && content.charAt(end + 1) == '\n') {
        end++;
      }
      start = end + 1;
    }
    return new Result(List.copyOf(ids), List.copyOf(bad), badCount);
  }

  /** At most {@link #SHOWN_CHARS} characters, control characters (ANSI escapes among them) as {@code \\uXXXX}. */
  static String printable(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().limit(SHOWN_CHARS).forEach(c -> {
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
        out.append(String.format(Locale.ROOT, "\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    if (text.codePointCount(0, text.length()) > SHOWN_CHARS) {
      out.append("...");
    }
    return out.toString();
  }
}
