package io.casefeed.app.erase;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.schemas.table.PythonCsv;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvErasureTest {

  @Test
  void readsBackWhatPythonCsvWritesAndWritesTheSameBytes() {
    List<List<String>> rows = List.of(
        List.of("account-id", "aws-case-id", "subject", "case-owner"),
        List.of("111111111111", "case-1", "Invoice, \"credits\" question", "a@example.com"),
        List.of("111111111111", "case-2", "two\r\nlines and a\nnewline", ""),
        List.of("222222222222", "case-3", "", "b@example.com"));
    StringBuilder text = new StringBuilder();
    rows.forEach(row -> text.append(PythonCsv.row(row)));

    List<List<String>> parsed = CsvErasure.parse(text.toString());

    assertThat(parsed).isEqualTo(rows);
    assertThat(CsvErasure.write(parsed)).isEqualTo(text.toString());
  }

  @Test
  void changingOneFieldChangesOnlyThatField() {
    String text = PythonCsv.row(List.of("subject", "case-owner")) + PythonCsv.row(List.of("a, b", "x@example.com"))
        + PythonCsv.row(List.of("kept \"quoted\"", "y@example.com"));
    List<List<String>> parsed = CsvErasure.parse(text);
    List<String> first = new ArrayList<>(parsed.get(1));
    parsed.get(1).set(0, CaseEraser.ERASED);

    String written = CsvErasure.write(parsed);

    assertThat(first.get(0)).isEqualTo("a, b");
    assertThat(written).isEqualTo(text.replace("\"a, b\"", CaseEraser.ERASED));
  }
}
