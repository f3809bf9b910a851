package io.casefeed.collector.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccountFileParserTest {

  @Test
  void skipsBlanksAndCommentsAndReportsBadLinesWithTheirNumber() {
    String file = """
        \uFEFF111111111111
        # production accounts
          222222222222\t

        33333333333
        444444444444 # trailing comment
        not-an-account
        111111111111
        5555555555555
        """;
    AccountFileParser.Result result = AccountFileParser.parse(file);
    assertThat(result.accountIds()).containsExactly("111111111111", "222222222222", "444444444444");
    assertThat(result.badLines()).extracting(AccountFileParser.BadLine::lineNumber).containsExactly(5, 7, 9);
    assertThat(result.badLines()).extracting(AccountFileParser.BadLine::content)
        .containsExactly("33333333333", "not-an-account", "5555555555555");
  }

  @Test
  void windowsLineEndingsAreLines() {
    assertThat(AccountFileParser.parse("111111111111\r\n222222222222\r\n").accountIds())
        .containsExactly("111111111111", "222222222222");
  }

  @Test
  void manyBadLinesAreCountedAndOnlyTheFirstKept() {
    StringBuilder file = new StringBuilder("111111111111\n");
    for (int i = 0; i < 100_000; i++) {
      file.append("junk").append(i).append('\n');
    }
    AccountFileParser.Result result = AccountFileParser.parse(file.toString());
    assertThat(result.accountIds()).containsExactly("111111111111");
    assertThat(result.badLineCount()).isEqualTo(100_000);
    assertThat(result.badLines()).extracting(AccountFileParser.BadLine::lineNumber).containsExactly(2, 3, 4, 5, 6);
  }

  @Test
  void aHugeLineIsBadAndShownShort() {
    String huge = "1".repeat(AccountFileParser.MAX_LINE_CHARS + 1);
    AccountFileParser.Result result = AccountFileParser.parse("222222222222\n" + huge + "\n333333333333");
    assertThat(result.accountIds()).containsExactly("222222222222", "333333333333");
    assertThat(result.badLines()).singleElement().satisfies(line -> {
      assertThat(line.lineNumber()).isEqualTo(2);
      assertThat(line.reason()).contains("longer than");
      assertThat(line.content()).hasSize(AccountFileParser.SHOWN_CHARS + 3).endsWith("...");
    });
  }

  @Test
  void controlCharactersAreEscaped() {
    AccountFileParser.Result result = AccountFileParser.parse("\u001b[31mred\u001b[0m\n\u202eevil");
    assertThat(result.badLines()).extracting(AccountFileParser.BadLine::content)
        .containsExactly("\\u001b[31mred\\u001b[0m", "\\u202eevil");
  }

  @Test
  void aFileOfNewlinesIsEmptyAndCheap() {
    AccountFileParser.Result result = AccountFileParser.parse("\n".repeat(AccountFileParser.MAX_FILE_BYTES));
    assertThat(result.accountIds()).isEmpty();
    assertThat(result.badLineCount()).isZero();
  }

  @Test
  void aFilePastTheCapCannotBeRead() {
    byte[] big = new byte[AccountFileParser.MAX_FILE_BYTES + 1];
    java.util.Arrays.fill(big, (byte) '\n');
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> S3AccountFileSource.text(java.net.URI.create("s3://b/k"), big))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("s3://b/k").hasMessageContaining("larger than");
  }
}
