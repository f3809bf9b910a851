package io.casefeed.schemas.table;

import java.util.List;

/**
 * CSV exactly as Python's {@code csv.writer} writes it with its defaults (dialect excel,
 * QUOTE_MINIMAL): a field is quoted only when it holds a comma, a double quote, a CR or a LF; a
 * quote inside is doubled; rows end with CRLF; null is an empty field. The seed wrote its
 * case_list.csv this way, so consumers of that file keep reading ours.
 */
public final class PythonCsv {

  public static final String LINE_END = "\r\n";

  private PythonCsv() {}

  /** One row, with its CRLF. */
  public static String row(List<String> fields) {
    StringBuilder line = new StringBuilder();
    // Python writes a row made of a single empty field as "" so that it is not read back as no field.
    if (fields.size() == 1 && (fields.get(0) == null || fields.get(0).isEmpty())) {
      return "\"\"" + LINE_END;
    }
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        line.append(',');
      }
      appendField(line, fields.get(i));
    }
    return line.append(LINE_END).toString();
  }

  public static void appendField(StringBuilder line, String field) {
    if (field == null) {
      return;
    }
    if (needsQuotes(field)) {
      line.append('"').append(field.replace("\"", "\"\"")).append('"');
    } else {
      line.append(field);
    }
  }

  private static boolean needsQuotes(String field) {
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == ',' || c == '"' || c == '\r' || c == '\n') {
        return true;
      }
    }
    return false;
  }

  /**
   * A text field made safe for Athena's OpenCSVSerde, which cannot read a line break inside a
   * quoted field: each CRLF, CR or LF becomes one space.
   */
  public static String singleLine(String text) {
    if (text == null) {
      return null;
    }
    return text.replace("\r\n", " ").replace('\r', ' ').replace('\n', ' ');
  }
}
