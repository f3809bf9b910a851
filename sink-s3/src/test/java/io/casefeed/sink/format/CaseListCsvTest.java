package io.casefeed.sink.format;

import io.casefeed.schemas.table.PythonCsv;
import io.casefeed.schemas.table.CaseListCsv;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseState;
import io.casefeed.sink.testing.Changes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaseListCsvTest {

  private static final List<List<String>> TRICKY_ROWS = Arrays.asList(
      Arrays.asList("a", "b,c", "d\"e", "", null, " x ", "it's", "1.5", "ünï ✓"),
      Arrays.asList("\"", ",", "\"\"", "a\"", "tab\there", "semi;colon", "#", "=1+2", "x"),
      Arrays.asList(""));

  @Test
  void quotesExactlyAsPythonsCsvWriter(@TempDir Path dir) throws Exception {
    StringBuilder ours = new StringBuilder();
    for (List<String> row : TRICKY_ROWS) {
      ours.append(PythonCsv.row(row));
    }
    assertThat(ours.toString()).isEqualTo(python(dir, TRICKY_ROWS));
  }

  @Test
  void seedColumnsComeFirstFilledAsTheSeedFilledThem() {
    CaseDetails details = Changes.details("123456789012", 4, "Disk full, \"urgent\"\r\nsecond line\nthird");
    CaseState state = Changes.state(details, Instant.parse("2026-11-26T10:00:00Z"));

    List<String> header = CaseListCsv.TABLE.csvHeader();
    List<String> fields = CaseListCsv.TABLE.csvFields(state);

    assertThat(header.subList(0, 8)).isEqualTo(CaseListCsv.SEED_COLUMNS);
    assertThat(fields.subList(0, 8)).containsExactly(details.getDisplayId(), details.getStatus(), details.getSeverityCode(),
        details.getServiceCode(), "Disk full, \"urgent\" second line third", details.getTimeCreated(), details.getSubmittedBy(),
        "123456789012");
    assertThat(header).contains("aws-case-id", "language", "last-change", "resolved-at");
    assertThat(fields.get(header.indexOf("aws-case-id"))).isEqualTo(details.getCaseId());
    assertThat(fields.get(header.indexOf("last-changed-at"))).isEqualTo("2026-11-26T10:00:00Z");
  }

  @Test
  void wholeFileMatchesPythonWritingTheSameRowsWithNewlinesFlattened(@TempDir Path dir) throws Exception {
    List<CaseState> states = new ArrayList<>();
    for (int n = 1; n <= 5; n++) {
      states.add(Changes.state(Changes.details("11111111111" + n % 2, n, "Subject " + n + ", \"q\"\nnext"), Instant.ofEpochSecond(n)));
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(CaseListCsv.TABLE.csvHeader());
    for (CaseState state : CaseListCsv.sorted(states)) {
      rows.add(CaseListCsv.TABLE.csvFields(state));
    }
    String csv = CaseListCsv.csv(states);

    assertThat(csv).isEqualTo(python(dir, rows));
    assertThat(csv.split("\r\n")).hasSize(6);
    assertThat(csv).doesNotContain("\n\"").contains("\"Subject 1, \"\"q\"\" next\"");
  }

  @Test
  void parquetRowKeepsTheNewlinesTheCsvFlattens() {
    CaseState state = Changes.state(Changes.details("123456789012", 1, "two\nlines"), Instant.EPOCH);
    assertThat(CaseListCsv.TABLE.toAvro(state).get("subject")).isEqualTo("two\nlines");
    assertThat(CaseListCsv.TABLE.csvFields(state).get(4)).isEqualTo("two lines");
  }

  /** The same rows written by Python's csv.writer with its defaults. */
  private static String python(Path dir, List<List<String>> rows) throws IOException, InterruptedException {
    Path input = dir.resolve("rows.json");
    Path output = dir.resolve("out.csv");
    Files.writeString(input, new ObjectMapper().writeValueAsString(rows), StandardCharsets.UTF_8);
    Process python = new ProcessBuilder("/usr/bin/python3", "-c",
        "import csv,json,sys\n"
            + "rows=json.load(open(sys.argv[1],encoding='utf-8'))\n"
            + "with open(sys.argv[2],'w',newline='',encoding='utf-8') as f:\n"
            + "  w=csv.writer(f)\n"
            + "  [w.writerow(r) for r in rows]\n",
        input.toString(), output.toString()).inheritIO().start();
    assertThat(python.waitFor()).as("python3 exit code").isZero();
    return Files.readString(output, StandardCharsets.UTF_8);
  }
}
