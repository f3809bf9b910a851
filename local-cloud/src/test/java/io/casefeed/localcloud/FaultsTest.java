package io.casefeed.localcloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.localcloud.Faults.Outcome;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Which calls a throttle applies to: by account, by service, by plain or service-qualified operation. */
class FaultsTest {

  /** Slow enough that a taken token never comes back within the test. */
  private static final double NEARLY_NEVER = 0.0001;

  @Test
  void aQualifiedOperationThrottlesThatServicesOperationOfThatAccountOnly() {
    Faults faults = new Faults().throttle("111111111111", "Support.DescribeCases", NEARLY_NEVER, 1);

    assertThat(faults.beforeCall("Support", "DescribeCases", "111111111111")).isEqualTo(Outcome.PROCEED);
    assertThat(faults.beforeCall("Support", "DescribeCases", "111111111111")).isEqualTo(Outcome.THROTTLED);
    assertThat(faults.beforeCall("Support", "DescribeCases", "222222222222")).isEqualTo(Outcome.PROCEED);
    assertThat(faults.beforeCall("Support", "DescribeCommunications", "111111111111")).isEqualTo(Outcome.PROCEED);
    assertThat(faults.beforeCall("STS", "DescribeCases", "111111111111")).isEqualTo(Outcome.PROCEED);
  }

  @Test
  void anOperationThatOnlyLooksLikeTheQualifiedNameDoesNotMatch() {
    Faults faults = new Faults()
        .throttle(null, "Support.Describe", NEARLY_NEVER, 1)
        .throttle(null, "SupportXDescribeCases", NEARLY_NEVER, 1)
        .throttle(null, "Support.DescribeCasesAndMore", NEARLY_NEVER, 1);

    for (int i = 0; i < 3; i++) {
      assertThat(faults.beforeCall("Support", "DescribeCases", "111111111111")).isEqualTo(Outcome.PROCEED);
    }
  }

  @Test
  void aPlainOperationThrottlesItInEveryServiceAndANullAccountEveryAccount() {
    Faults faults = new Faults().throttle(null, "DescribeCases", NEARLY_NEVER, 2);

    assertThat(faults.beforeCall("Support", "DescribeCases", "111111111111")).isEqualTo(Outcome.PROCEED);
    assertThat(faults.beforeCall("Support", "DescribeCases", "222222222222")).isEqualTo(Outcome.PROCEED);
    assertThat(faults.beforeCall("Support", "DescribeCases", "333333333333")).isEqualTo(Outcome.THROTTLED);
  }

  @Test
  void aStandingThrottleCoversEveryOperationOfItsServiceForItsAccounts() {
    Faults faults = new Faults().standingThrottles(List.of("111111111111"), NEARLY_NEVER, 1);

    assertThat(faults.beforeCall("Support", "DescribeCases", "111111111111")).isEqualTo(Outcome.PROCEED);
    assertThat(faults.beforeCall("Support", "DescribeCommunications", "111111111111")).isEqualTo(Outcome.THROTTLED);
    assertThat(faults.beforeCall("STS", "AssumeRole", "111111111111")).isEqualTo(Outcome.PROCEED);
    assertThat(faults.beforeCall("Support", "DescribeCases", "222222222222")).isEqualTo(Outcome.PROCEED);
  }

  @Test
  void thousandsOfPerAccountThrottlesEachHoldOnlyTheirOwnAccount() {
    Faults faults = new Faults();
    for (int i = 0; i < 2000; i++) {
      faults.throttle(String.format(Locale.ROOT, "%012d", i), "Support.DescribeCases", NEARLY_NEVER, 1);
    }

    for (int i = 0; i < 2000; i++) {
      assertThat(faults.beforeCall("Support", "DescribeCases", String.format(Locale.ROOT, "%012d", i)))
          .isEqualTo(Outcome.PROCEED);
    }
    assertThat(faults.beforeCall("Support", "DescribeCases", "000000001999")).isEqualTo(Outcome.THROTTLED);
  }
}
