package io.casefeed.sink.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseState;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.examples.ExampleRecords;
import io.casefeed.schemas.table.CaseListCsv;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeptFieldsTest {

  private static CaseState state() {
    return (CaseState) ExampleRecords.byTopic().get(Topics.CASES);
  }

  private static CaseChange change() {
    return (CaseChange) ExampleRecords.byTopic().get(Topics.CASE_CHANGES);
  }

  @Test
  void aKeptCaseHasNoCommunicationsOrCcAndGivesTheSameCaseListRowsByteForByte() {
    CaseState full = state();
    assertThat(full.getCaseDetails().getRecentCommunications()).as("the example has communications").isNotEmpty();
    assertThat(full.getCaseDetails().getCcEmailAddresses()).as("and cc addresses").isNotEmpty();

    CaseState kept = KeptFields.of(full);

    assertThat(kept.getCaseDetails().getRecentCommunications()).isEmpty();
    assertThat(kept.getCaseDetails().getCcEmailAddresses()).isEmpty();
    assertThat(kept.getCaseDetails().getRecentCommunicationsNextToken()).isNull();
    assertThat(CaseListCsv.TABLE.csv(List.of(kept))).isEqualTo(CaseListCsv.TABLE.csv(List.of(full)));
    assertThat(CaseListCsv.TABLE.toAvro(kept)).isEqualTo(CaseListCsv.TABLE.toAvro(full));
    assertThat(full.getCaseDetails().getRecentCommunications()).as("the record read is not changed").isNotEmpty();
    assertThat(kept).as("every other field as read").usingRecursiveComparison().ignoringFields("caseDetails").isEqualTo(full);
  }

  @Test
  void aKeptChangeHasNoCommunicationsOrCcOnEitherSideAndGivesTheSameHistoryRowsByteForByte() {
    CaseChange full = change();
    assertThat(full.getCurrent().getRecentCommunications()).as("the example has communications").isNotEmpty();
    assertThat(full.getPrevious().getCcEmailAddresses()).as("and cc addresses before the change").isNotEmpty();

    CaseChange kept = KeptFields.of(full);

    assertThat(kept.getCurrent().getRecentCommunications()).isEmpty();
    assertThat(kept.getCurrent().getCcEmailAddresses()).isEmpty();
    assertThat(kept.getPrevious().getCcEmailAddresses()).isEmpty();
    ChangeRow fullRow = new ChangeRow("casefeed.case-changes", 3, 42L, 1_764_144_929_912L, full);
    ChangeRow keptRow = new ChangeRow("casefeed.case-changes", 3, 42L, 1_764_144_929_912L, kept);
    assertThat(ChangeRow.TABLE.csv(List.of(keptRow))).isEqualTo(ChangeRow.TABLE.csv(List.of(fullRow)));
    assertThat(ChangeRow.TABLE.toAvro(keptRow)).isEqualTo(ChangeRow.TABLE.toAvro(fullRow));
    assertThat(full.getCurrent().getRecentCommunications()).as("the record read is not changed").isNotEmpty();
    assertThat(kept).as("every other field as read").usingRecursiveComparison().ignoringFields("previous", "current").isEqualTo(full);
  }

  @Test
  void aChangeWithoutPreviousDetailsStaysWithout() {
    CaseChange created = CaseChange.newBuilder(change()).setPrevious(null).setChangeType("CREATED").build();
    assertThat(KeptFields.of(created).getPrevious()).isNull();
    assertThat(KeptFields.of((CaseChange) null)).isNull();
    assertThat(KeptFields.of((CaseState) null)).isNull();
  }

  @Test
  void valuesThatRepeatAcrossCasesAreKeptOnceWhereEachReadingMadeItsOwnCopy() throws IOException {
    // Two readings of the same bytes, as two records from Kafka: equal strings, distinct instances.
    CaseState first = CaseState.fromByteBuffer(state().toByteBuffer());
    CaseState second = CaseState.fromByteBuffer(state().toByteBuffer());
    assertThat(first.getCaseDetails().getStatus()).isEqualTo(second.getCaseDetails().getStatus())
        .isNotSameAs(second.getCaseDetails().getStatus());

    CaseState a = KeptFields.of(first);
    CaseState b = KeptFields.of(second);

    assertThat(a.getCaseDetails().getStatus()).isSameAs(b.getCaseDetails().getStatus());
    assertThat(a.getCaseDetails().getSeverityCode()).isSameAs(b.getCaseDetails().getSeverityCode());
    assertThat(a.getCaseDetails().getServiceCode()).isSameAs(b.getCaseDetails().getServiceCode());
    assertThat(a.getCaseDetails().getLanguage()).isSameAs(b.getCaseDetails().getLanguage());
    assertThat(a.getAccountId()).isSameAs(b.getAccountId());
    assertThat(a.getLastChangeType()).isSameAs(b.getLastChangeType());
    assertThat(a.getCaseDetails().getSubject()).as("a subject is the case's own").isEqualTo(b.getCaseDetails().getSubject());
  }
}
