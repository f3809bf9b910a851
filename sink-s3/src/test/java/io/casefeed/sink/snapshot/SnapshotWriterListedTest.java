package io.casefeed.sink.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.schema.CaseState;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.examples.ExampleRecords;
import io.casefeed.schemas.table.CaseListCsv;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotWriterListedTest {

  private static CaseState example() {
    return (CaseState) ExampleRecords.byTopic().get(Topics.CASES);
  }

  @Test
  void whatTheWriterKeepsOfACaseHasNoCommunicationsOrCcAndGivesTheSameRowsByteForByte() {
    CaseState full = example();
    assertThat(full.getCaseDetails().getRecentCommunications()).as("the example has communications").isNotEmpty();
    assertThat(full.getCaseDetails().getCcEmailAddresses()).as("and cc addresses").isNotEmpty();

    CaseState kept = SnapshotWriter.listed(full);

    assertThat(kept.getCaseDetails().getRecentCommunications()).isEmpty();
    assertThat(kept.getCaseDetails().getCcEmailAddresses()).isEmpty();
    assertThat(CaseListCsv.TABLE.csv(List.of(kept))).isEqualTo(CaseListCsv.TABLE.csv(List.of(full)));
    assertThat(CaseListCsv.TABLE.toAvro(kept)).isEqualTo(CaseListCsv.TABLE.toAvro(full));
    assertThat(full.getCaseDetails().getRecentCommunications()).as("the record read is not changed").isNotEmpty();
  }

  @Test
  void aCaseWithNothingToDropIsKeptAsItIs() {
    CaseState bare = SnapshotWriter.listed(example());
    assertThat(SnapshotWriter.listed(bare)).isSameAs(bare);
  }
}
