package io.casefeed.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class QueryStringTest {

  @Test
  void decodesNamesAndValuesKeepingOrderAndRepeats() {
    QueryString query = QueryString.parse("b=2&a=x+y%26z&flag&a=last&=empty&&c=%C3%A9");

    assertThat(query.get("a")).isEqualTo("last");
    assertThat(query.first("a")).contains("x y&z");
    assertThat(query.all("a")).containsExactly("x y&z", "last");
    assertThat(query.get("flag")).isEmpty();
    assertThat(query.get("c")).isEqualTo("é");
    assertThat(query.get("missing")).isNull();
    assertThat(query.asMap().keySet()).containsExactly("b", "a", "flag", "", "c");
    assertThat(QueryString.parse(null).asMap()).isEmpty();
    assertThat(QueryString.parse("").all("a")).isEqualTo(List.of());
  }

  @Test
  void aMalformedEscapeIsTheClientsError() {
    assertThatThrownBy(() -> QueryString.parse("a=%zz")).isInstanceOf(HttpProblem.class)
        .extracting(e -> ((HttpProblem) e).status()).isEqualTo(400);
  }
}
