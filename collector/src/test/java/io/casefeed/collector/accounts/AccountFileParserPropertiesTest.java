package io.casefeed.collector.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;

/**
 * Hostile account files: any mix of valid ids, duplicates, blanks, comments, junk, huge lines,
 * CRLF and a BOM. The parser never throws, keeps every valid id once in file order, and reports
 * every other non-blank line: all of them counted, the first few with their line number.
 */
class AccountFileParserPropertiesTest {

  /** One line of a generated file, and what the parser must make of it. */
  record Line(String text, String expectedId, boolean bad) {}

  @Property(tries = 300)
  void everyValidIdOnceInOrderAndEveryBadLineByNumber(@ForAll("files") List<Line> lines, @ForAll boolean crlf, @ForAll boolean bom) {
    StringBuilder file = new StringBuilder(bom ? "\uFEFF" : "");
    for (int i = 0; i < lines.size(); i++) {
      file.append(lines.get(i).text()).append(i < lines.size() - 1 ? (crlf ? "\r\n" : "\n") : "");
    }

    AccountFileParser.Result result = AccountFileParser.parse(file.toString());

    LinkedHashSet<String> expectedIds = new LinkedHashSet<>();
    List<Integer> expectedBadLines = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).expectedId() != null) {
        expectedIds.add(lines.get(i).expectedId());
      }
      if (lines.get(i).bad()) {
        expectedBadLines.add(i + 1);
      }
    }
    assertThat(result.accountIds()).containsExactlyElementsOf(expectedIds);
    assertThat(result.badLineCount()).isEqualTo(expectedBadLines.size());
    assertThat(result.badLines()).extracting(AccountFileParser.BadLine::lineNumber)
        .containsExactlyElementsOf(expectedBadLines.subList(0, Math.min(expectedBadLines.size(), AccountFileParser.SAMPLE_BAD_LINES)));
    assertThat(result.badLines()).allSatisfy(line -> assertThat(line.content()).hasSizeLessThanOrEqualTo(AccountFileParser.SHOWN_CHARS * "\\u0000".length() + "...".length()));
  }

  @Provide
  Arbitrary<List<Line>> files() {
    Arbitrary<String> id = Arbitraries.strings().numeric().ofLength(12);
    Arbitrary<String> padding = Arbitraries.of("", " ", "\t", "  \t ");
    Arbitrary<Line> valid = Combinators.combine(padding, id, padding).as((a, b, c) -> new Line(a + b + c, b, false));
    Arbitrary<Line> commented = Combinators.combine(id, Arbitraries.strings().ofMaxLength(20))
        .as((i, note) -> new Line(i + " # " + note.replace("\n", " ").replace("\r", " "), i, false));
    Arbitrary<Line> blank = padding.map(p -> new Line(p, null, false));
    Arbitrary<Line> comment = Arbitraries.strings().ofMaxLength(30).map(t -> new Line("# " + t.replaceAll("[\r\n]", " "), null, false));
    Arbitrary<Line> wrongLength = Arbitraries.oneOf(Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(11),
        Arbitraries.strings().numeric().ofMinLength(13).ofMaxLength(40)).map(t -> new Line(t, null, true));
    Arbitrary<Line> junk = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20).map(t -> new Line(t, null, true));
    Arbitrary<Line> huge = Arbitraries.strings().withChars("0123456789abc").ofLength(100_000).map(t -> new Line(t, null, true));
    Arbitrary<Line> line = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, valid), net.jqwik.api.Tuple.of(2, commented), net.jqwik.api.Tuple.of(2, blank),
        net.jqwik.api.Tuple.of(2, comment), net.jqwik.api.Tuple.of(2, wrongLength), net.jqwik.api.Tuple.of(2, junk),
        net.jqwik.api.Tuple.of(1, huge));
    return line.list().ofMaxSize(40);
  }
}
