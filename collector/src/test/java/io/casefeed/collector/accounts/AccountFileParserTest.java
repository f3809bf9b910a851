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
}
