package io.casefeed.app.erase;

import io.casefeed.schemas.table.PythonCsv;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and rewrites the CSV objects casefeed writes ({@link PythonCsv}: quoted only when needed,
 * quotes doubled, CRLF rows, header first), so that a row of another case comes out byte for byte
 * as it was. Columns are found by their header names.
 */
final class CsvErasure {

  private CsvErasure() {}

  /** Every row, header first, each field as text (an empty field is ""). */
  static List<List<String>> parse(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      any = true;
      if (quoted) {
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (c == '\r' || c == '\n') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        any = false;
      } else {
        field.append(c);
      }
    }
    if (any) {
      row.add(field.toString());
      rows.add(row);
    }
    return rows;
  }

  static String write(List<List<String>> rows) {
    StringBuilder out = new StringBuilder();
    rows.forEach(row -> out.append(PythonCsv.row(row)));
    return out.toString();
  }
}
