package io.casefeed.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenRulesTest {

  @Test
  void shortOrPaddedTokensAreUnfit() {
    assertThat(TokenRules.weakness("x")).contains("at least 16");
    assertThat(TokenRules.weakness("casefeed-demo")).contains("at least 16");
    assertThat(TokenRules.weakness(" casefeed-demo-token ")).contains("white space");
    assertThat(TokenRules.weakness("casefeed-demo-token")).isNull();
    assertThat(TokenRules.weakness(null)).isNull();
  }

  @Test
  void bearerComparisonNeedsTheExactToken() {
    assertThat(TokenRules.bearerMatches("casefeed-demo-token", "Bearer casefeed-demo-token")).isTrue();
    assertThat(TokenRules.bearerMatches("casefeed-demo-token", "Bearer casefeed-demo-tokeN")).isFalse();
    assertThat(TokenRules.bearerMatches("casefeed-demo-token", "casefeed-demo-token")).isFalse();
    assertThat(TokenRules.bearerMatches("casefeed-demo-token", null)).isFalse();
  }
}
