package io.casefeed.collector.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoleCredentialsCacheTest {

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    Instant now;
    MutableClock(Instant now) { this.now = now; }
    @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
  }

  @Test
  void credentialsAreReusedThenRenewedBeforeTheyExpire() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    List<String> assumed = new ArrayList<>();
    RoleAssumer sts = arn -> {
      assumed.add(arn);
      return new RoleCredentials("AKIA" + assumed.size(), "secret-" + assumed.size(), "token", clock.now.plus(Duration.ofHours(1)));
    };
    RoleCredentialsCache cache = new RoleCredentialsCache(sts, clock, Duration.ofMinutes(5));
    String arn = "arn:aws:iam::111111111111:role/GetSupportInfoRole";

    assertThat(cache.credentials(arn).accessKeyId()).isEqualTo("AKIA1");
    clock.now = clock.now.plus(Duration.ofMinutes(54));
    assertThat(cache.credentials(arn).accessKeyId()).isEqualTo("AKIA1");
    assertThat(cache.needsAssume(arn)).isFalse();

    // Inside the five-minute margin: renewed although the old ones are still valid.
    clock.now = clock.now.plus(Duration.ofMinutes(2));
    assertThat(cache.needsAssume(arn)).isTrue();
    assertThat(cache.provider(arn).resolveCredentials().accessKeyId()).isEqualTo("AKIA2");
    assertThat(assumed).hasSize(2);
  }

  @Test
  void secretsNeverAppearInToString() {
    RoleCredentials credentials = new RoleCredentials("AKIAXYZ", "very-secret", "session-token", Instant.EPOCH);
    assertThat(credentials.toString()).doesNotContain("very-secret").doesNotContain("session-token").doesNotContain("AKIAXYZ");
  }
}
