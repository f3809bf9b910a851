package io.casefeed.sink.format;

import io.casefeed.schemas.table.PythonCsv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any fields at all — commas, quotes, line breaks, odd Unicode — come back from an RFC 4180 reader
 * exactly as written, one row per line once single-lined for Athena.
 */
class PythonCsvPropertiesTest {

  @Property(tries = 500)
  void aRowReadsBackAsItsFields(@ForAll("rows") List<String> fields) {
    String row = PythonCsv.row(fields);

    assertThat(row).endsWith("\r\n");
    List<String> expected = fields.stream().map(f -> f == null ? "" : f).toList();
    assertThat(readRow(row)).isEqualTo(expected);
  }

  @Property(tries = 500)
  void singleLinedFieldsNeverBreakTheRow(@ForAll("rows") List<String> fields) {
    List<String> singleLined = new ArrayList<>();
    fields.forEach(f -> singleLined.add(PythonCsv.singleLine(f)));

    String row = PythonCsv.row(singleLined);

    assertThat(row.substring(0, row.length() - 2)).doesNotContain("\n").doesNotContain("\r");
    assertThat(readRow(row)).hasSize(fields.size());
  }

  @Provide
  Arbitrary<List<String>> rows() {
    Arbitrary<String> field = Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(40),
        Arbitraries.strings().withChars("a,\"\r\n é漢🚀").ofMaxLength(20),
        Arbitraries.just(null));
    return field.list().ofMinSize(2).ofMaxSize(10);
  }

  /** A strict RFC 4180 reader of one record (the row ends with CRLF). */
  static List<String> readRow(String row) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    int end = row.length() - 2;
    boolean startOfField = true;
    while (i <= end) {
      if (i == end) {
        fields.add(field.toString());
        break;
      }
      char c = row.charAt(i);
      if (startOfField && c == '"') {
        i++;
        while (true) {
          char q = row.charAt(i);
          if (q == '"' && i + 1 < row.length() && row.charAt(i + 1) == '"') {
            field.append('"');
            i += 2;
          } else if (q == '"') {
            i++;
            break;
          } else {
            field.append(q);
            i++;
          }
        }
        startOfField = false;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        startOfField = true;
        i++;
      } else {
        field.append(c);
        startOfField = false;
        i++;
      }
    }
    return fields;
  }
}
