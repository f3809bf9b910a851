package io.casefeed.localcloud.aws;

import io.casefeed.localcloud.protocol.AwsServiceException;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SignatureScopeTest {

  static final Instant NOW = Instant.parse("2026-12-03T20:30:00Z");

  @Test
  void aDateWithinFifteenMinutesEitherWayIsCurrent() {
    assertThatCode(() -> SignatureScope.checkTime("20261203T201500Z", NOW, true)).doesNotThrowAnyException();
    assertThatCode(() -> SignatureScope.checkTime("20261203T204500Z", NOW, false)).doesNotThrowAnyException();
  }

  @Test
  void anOlderDateHasExpiredAndALaterOneIsNotYetCurrent() {
    assertThatThrownBy(() -> SignatureScope.checkTime("20261203T103000Z", NOW, true)).isInstanceOfSatisfying(
        AwsServiceException.class, e -> org.assertj.core.api.Assertions.assertThat(e.code() + " " + e.status() + " " + e.getMessage())
            .isEqualTo("SignatureDoesNotMatch 403 Signature expired: 20261203T103000Z is now earlier than 20261203T201500Z "
                + "(20261203T203000Z - 15 min.)"));
    assertThatThrownBy(() -> SignatureScope.checkTime("20261203T205001Z", NOW, false)).isInstanceOfSatisfying(
        AwsServiceException.class, e -> org.assertj.core.api.Assertions.assertThat(e.code() + " " + e.status() + " " + e.getMessage())
            .isEqualTo("InvalidSignatureException 403 Signature not yet current: 20261203T205001Z is still later than "
                + "20261203T204500Z (20261203T203000Z + 15 min.)"));
  }

  @Test
  void theScopeMustNameTheDateTheServiceAndARegionItAnswersIn() {
    assertThatCode(() -> SignatureScope.checkScope("20261203", "us-east-1", "support", "20261203T203000Z", "Support", false))
        .doesNotThrowAnyException();
    assertThatCode(() -> SignatureScope.checkScope("20261203", "eu-west-1", "ses", "20261203T203000Z", "SESv2", false))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> SignatureScope.checkScope("20261203", "eu-west-1", "support", "20261203T203000Z", "Support", false))
        .hasMessage("Credential should be scoped to a valid region, not 'eu-west-1'. ");
    assertThatThrownBy(() -> SignatureScope.checkScope("20261203", "us-east-1", "sts", "20261203T203000Z", "Support", false))
        .hasMessage("Credential should be scoped to correct service: 'support'. ");
    assertThatThrownBy(() -> SignatureScope.checkScope("20261202", "us-east-1", "sts", "20261203T203000Z", "STS", true))
        .hasMessageStartingWith("Date in Credential scope does not match YYYYMMDD");
    assertThatThrownBy(() -> SignatureScope.checkScope("20261203", "moon-base", "sts", "20261203T203000Z", "STS", true))
        .hasMessage("Credential should be scoped to a valid region. ");
  }
}
