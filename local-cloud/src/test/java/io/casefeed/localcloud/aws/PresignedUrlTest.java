package io.casefeed.localcloud.aws;

import io.casefeed.localcloud.identity.Caller;
import io.casefeed.localcloud.identity.CredentialStore;
import io.casefeed.localcloud.protocol.AwsServiceException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A presigned GetCallerIdentity URL as botocore 1.29 (CRT signer) made it (HttpMethod=GET, as {@code aws eks get-token} does) for test/test at 2026-12-03T20:00:00Z. */
class PresignedUrlTest {

  static final URI URL = URI.create("http://127.0.0.1:4566/?Action=GetCallerIdentity&Version=2011-06-15"
      + "&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20261203%2Fus-east-1%2Fsts%2Faws4_request"
      + "&X-Amz-Date=20261203T200000Z&X-Amz-SignedHeaders=host&X-Amz-Expires=60"
      + "&X-Amz-Signature=83d53887a03e39900a04b82fdb562e55786b2f4d97f3f8b93fa0b39c391b20b5");
  static final Instant SIGNED_AT = Instant.parse("2026-12-03T20:00:00Z");

  @TempDir
  Path dataDir;

  CredentialStore store(Instant now) {
    return new CredentialStore(dataDir, Clock.fixed(now, ZoneOffset.UTC),
        CredentialStore.managementUser("test", "test", "123456789012"));
  }

  Caller authenticate(URI url, Instant now) {
    return PresignedUrl.authenticate("GET", url.getRawPath(), url.getRawQuery(), name -> name.equalsIgnoreCase("host") ? List.of("127.0.0.1:4566") : null,
        "STS", store(now), now);
  }

  @Test
  void botocoresPresignedUrlIdentifiesItsSignerWhileItIsValid() {
    assertThat(PresignedUrl.carriesSignature(URL.getRawQuery())).isTrue();
    assertThat(authenticate(URL, SIGNED_AT.plusSeconds(59)).arn()).isEqualTo("arn:aws:iam::123456789012:user/casefeed");
  }

  @Test
  void anAlteredOrExpiredUrlIsRefused() {
    URI altered = URI.create(URL.toString().replace("X-Amz-Expires=60", "X-Amz-Expires=61"));
    assertThatThrownBy(() -> authenticate(altered, SIGNED_AT)).isInstanceOfSatisfying(AwsServiceException.class,
        e -> assertThat(e.code()).isEqualTo("SignatureDoesNotMatch"));
    assertThatThrownBy(() -> authenticate(URL, SIGNED_AT.plusSeconds(61))).isInstanceOfSatisfying(AwsServiceException.class,
        e -> assertThat(e.code() + " " + e.status() + " " + e.getMessage()).isEqualTo("AccessDenied 403 Request has expired"));
  }

  @Test
  void aUrlScopedToAnotherServiceIsRefused() {
    assertThatThrownBy(() -> PresignedUrl.authenticate("GET", URL.getRawPath(), URL.getRawQuery(), name -> List.of("127.0.0.1:4566"), "Support",
        store(SIGNED_AT), SIGNED_AT)).isInstanceOfSatisfying(AwsServiceException.class,
        e -> assertThat(e.getMessage()).contains("Credential should be scoped to"));
  }

  @Test
  void aMalformedOrMissingDateOrExpiryIsNamedBeforeTheSignatureIsChecked() {
    for (String[] edit : new String[][] {{"X-Amz-Expires=60", "X-Amz-Expires=sixty"}, {"X-Amz-Date=20261203T200000Z", "X-Amz-Date=2026-12-03"}}) {
      URI url = URI.create(URL.toString().replace(edit[0], edit[1]));
      assertThatThrownBy(() -> authenticate(url, SIGNED_AT)).as(edit[1]).isInstanceOfSatisfying(AwsServiceException.class,
          e -> assertThat(e.code() + " " + e.status() + " " + e.getMessage())
              .isEqualTo("AuthorizationQueryParametersError 400 X-Amz-Date or X-Amz-Expires is malformed"));
    }
    URI noExpiry = URI.create(URL.toString().replace("&X-Amz-Expires=60", ""));
    assertThatThrownBy(() -> authenticate(noExpiry, SIGNED_AT)).isInstanceOfSatisfying(AwsServiceException.class,
        e -> assertThat(e.getMessage()).isEqualTo("X-Amz-Expires must be between 1 and 604800 seconds"));
  }
}
