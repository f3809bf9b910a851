package io.casefeed.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  @Test
  void signsTimestampDotBodyWithHmacSha256() {
    // Expected value from: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'key-of-at-least-16'
    String header = WebhookSignature.header("key-of-at-least-16", Instant.ofEpochSecond(1_700_000_000L),
        "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    assertThat(header).isEqualTo("t=1700000000,v1=" + OPENSSL);
  }

  /** Filled in from openssl, a tool casefeed did not write. */
  static final String OPENSSL = "65cfd3f6259dbdb8c41233334161c0efe52083babdbb7f6cd34f50fab85ab3f4";

  @Test
  void retryAfterReadsSecondsAndHttpDates() {
    Instant now = Instant.parse("2026-11-26T08:00:00Z");
    assertThat(RetryAfter.parse("3", now)).isEqualTo(Duration.ofSeconds(3));
    assertThat(RetryAfter.parse("Thu, 26 Nov 2026 08:00:10 GMT", now)).isEqualTo(Duration.ofSeconds(10));
    assertThat(RetryAfter.parse("Thu, 26 Nov 2026 07:00:00 GMT", now)).isEqualTo(Duration.ZERO);
    assertThat(RetryAfter.parse("soon", now)).isNull();
    assertThat(RetryAfter.parse(null, now)).isNull();
  }
}
