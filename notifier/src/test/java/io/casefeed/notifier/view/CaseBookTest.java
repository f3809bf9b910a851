package io.casefeed.notifier.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.notifier.testing.Cases;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schemas.CaseKeys;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CaseBookTest {

  private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  private static final String ACCOUNT = "111111111111";

  @Test
  void aTombstoneDropsTheCaseAndItsChangesSoNoLaterDigestShowsThem() {
    CaseBook book = new CaseBook(3);
    CaseDetails erased = Cases.details(ACCOUNT, "1001", "Secret outage at ACME", "opened", "high", T0);
    CaseDetails kept = Cases.details(ACCOUNT, "1002", "Quota raise", "opened", "low", T0);
    String erasedKey = CaseKeys.of(ACCOUNT, erased.getCaseId());
    book.onCase(erasedKey, Cases.state(erased, T0, false, null));
    book.onCase(CaseKeys.of(ACCOUNT, kept.getCaseId()), Cases.state(kept, T0, false, null));
    CaseChange opened = Cases.change("CASE_OPENED", null, erased, T0.plusSeconds(60), false);
    book.onChange(opened);
    book.onChange(Cases.change("CASE_OPENED", null, kept, T0.plusSeconds(60), false));
    assertThat(book.changesBetween(T0, T0.plusSeconds(3600))).hasSize(2);

    book.onCase(erasedKey, null);

    assertThat(book.caseSummary(erasedKey)).isNull();
    assertThat(book.cases()).extracting(CaseSummary::subject).containsExactly("Quota raise");
    assertThat(book.changesBetween(T0, T0.plusSeconds(3600))).extracting(change -> change.current().caseId()).containsExactly(kept.getCaseId());
    // A replay of the erased case's old change (e.g. the changes topic read again) is still ignored.
    book.onChange(opened);
    assertThat(book.changesBetween(T0, T0.plusSeconds(3600)).toString()).doesNotContain("Secret outage at ACME");
  }
}
