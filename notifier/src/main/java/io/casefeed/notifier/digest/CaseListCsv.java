package io.casefeed.notifier.digest;

import io.casefeed.schema.CaseDetails;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * {@code case_list.csv} as the seed wrote it: its eight columns, quoted as Python's csv.writer does
 * by default (QUOTE_MINIMAL, rows ending in CRLF), with line breaks inside a field turned into spaces
 * so that every case is one line for Athena's OpenCSVSerde.
 */
public final class CaseListCsv {

  public static final List<String> COLUMNS =
      List.of("case-id", "status", "severity", "service", "subject", "createdtime", "case-owner", "account-id");
  private static final String ROW_END = "\r\n";

  private CaseListCsv() {}

  /** The file for {@code cases}, sorted by account then display id so that equal snapshots are equal bytes. */
  public static String write(Collection<CaseDetails> cases) {
    StringBuilder out = new StringBuilder();
    row(out, COLUMNS);
    cases.stream()
        .sorted(Comparator.comparing(CaseDetails::getAccountId)
            .thenComparing(c -> c.getDisplayId() == null ? "" : c.getDisplayId())
            .thenComparing(CaseDetails::getCaseId))
        .forEach(c -> row(out, List.of(
            text(c.getDisplayId()), text(c.getStatus()), text(c.getSeverityCode()), text(c.getServiceCode()),
            text(c.getSubject()), text(c.getTimeCreated()), text(c.getSubmittedBy()), text(c.getAccountId()))));
    return out.toString();
  }

  private static void row(StringBuilder out, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(quote(fields.get(i), fields.size()));
    }
    out.append(ROW_END);
  }

  /** Python's QUOTE_MINIMAL: quote when the field holds the delimiter, the quote or a line break. */
  static String quote(String field, int fieldsInRow) {
    String flat = field.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ');
    if (flat.isEmpty() && fieldsInRow == 1) {
      return "\"\"";
    }
    if (flat.indexOf(',') >= 0 || flat.indexOf('"') >= 0) {
      return '"' + flat.replace("\"", "\"\"") + '"';
    }
    return flat;
  }

  private static String text(CharSequence value) {
    return value == null ? "" : value.toString();
  }
}
