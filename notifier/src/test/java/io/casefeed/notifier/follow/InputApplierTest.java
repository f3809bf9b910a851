package io.casefeed.notifier.follow;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.common.time.MutableClock;
import io.casefeed.notifier.alert.AlertBatcher;
import io.casefeed.notifier.alert.AlertEvent;
import io.casefeed.notifier.alert.AlertRules;
import io.casefeed.notifier.resend.FailedMail;
import io.casefeed.notifier.resend.Resends;
import io.casefeed.notifier.testing.Cases;
import io.casefeed.notifier.view.CaseBook;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.schemas.privacy.PersonalData;
import io.casefeed.schemas.privacy.PersonalData.Treatment;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The notifier's memory from followed records, without Kafka: the same inputs always leave the same state. */
class InputApplierTest {

  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private static final String ACCOUNT = "111111111111";

  private final CaseBook book = new CaseBook(3);
  private final AlertBatcher batcher = new AlertBatcher(Duration.ofMinutes(1), Duration.ofSeconds(20), T0);
  private final Map<String, FailedMail> kept = new HashMap<>();
  private final Resends resends = new Resends(kept::put, new MutableClock(T0), Duration.ofMinutes(15), 2);
  private final InputApplier applier = new InputApplier(new PersonalData(Treatment.HASH, Treatment.KEEP, Treatment.KEEP), book,
      new AlertRules("urgent", Duration.ofHours(24)), batcher, resends);

  @Test
  void anUrgentNewCaseIsBookedWithItsSubjectAsPrivacyAsksAndBatchedForItsWindow() {
    CaseDetails details = Cases.details(ACCOUNT, "18000000001", "Checkout is down", "opened", "urgent", T0.plusSeconds(5));
    applier.apply(new NotifierInput.AccountUpdate(ACCOUNT, Cases.account(ACCOUNT, "prod-shop", T0)), T0);
    applier.apply(new NotifierInput.CaseUpdate(CaseKeys.of(ACCOUNT, details.getCaseId()), Cases.state(details, T0, false, null)), T0);
    applier.apply(new NotifierInput.Change(Cases.change("CASE_OPENED", null, details, T0.plusSeconds(10), false)), T0.plusSeconds(10));

    assertThat(book.accountName(ACCOUNT)).isEqualTo("prod-shop");
    assertThat(book.cases()).singleElement().satisfies(c -> assertThat(c.subject()).isEqualTo(PersonalData.hash("Checkout is down")));
    assertThat(batcher.events(batcher.windowStart(T0.plusSeconds(10)))).extracting(AlertEvent::kind)
        .containsExactly(AlertEvent.Kind.NEW_CASE);
  }

  @Test
  void anErasedCaseLeavesTheBookAndEveryPendingAlert() {
    CaseDetails details = Cases.details(ACCOUNT, "18000000002", "Card data leak", "opened", "urgent", T0.plusSeconds(5));
    String key = CaseKeys.of(ACCOUNT, details.getCaseId());
    applier.apply(new NotifierInput.CaseUpdate(key, Cases.state(details, T0, false, null)), T0);
    applier.apply(new NotifierInput.Change(Cases.change("CASE_OPENED", null, details, T0.plusSeconds(10), false)), T0.plusSeconds(10));

    applier.apply(new NotifierInput.CaseUpdate(key, null), T0.plusSeconds(20));

    assertThat(book.cases()).isEmpty();
    assertThat(batcher.events(batcher.windowStart(T0.plusSeconds(10)))).isEmpty();
  }

  @Test
  void aTombstoneForAKeptMailIsAGiveUpAndNothingElseIs() {
    FailedMail mail = FailedMail.first("alert|x", "alert", "ops", "a@example.com", "p", "s", new byte[] {1}, "HTTP 503", T0);

    assertThat(applier.apply(new NotifierInput.KeptMail("alert|x", mail), T0)).isEmpty();
    assertThat(resends.get("alert|x")).isPresent();
    assertThat(applier.apply(new NotifierInput.KeptMail("alert|x", null), T0)).contains(mail);
    assertThat(applier.apply(new NotifierInput.KeptMail("alert|x", null), T0)).as("once only").isEmpty();
  }
}
