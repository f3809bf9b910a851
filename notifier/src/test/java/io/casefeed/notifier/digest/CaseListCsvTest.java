package io.casefeed.notifier.digest;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.notifier.testing.Cases;
import io.casefeed.schema.CaseDetails;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaseListCsvTest {

  @Test
  void writesTheSeedsColumnsQuotedAsPythonsCsvWriter() {
    CaseDetails plain = Cases.details("111111111111", "1001", "EC2 down", "opened", "urgent", Instant.parse("2026-11-25T10:00:00Z"));
    CaseDetails tricky = CaseDetails.newBuilder(
            Cases.details("111111111111", "1002", "x", "resolved", "low", Instant.parse("2026-11-24T10:00:00Z")))
        .setSubject("Quota, \"limits\"\nand more")
        .setTimeCreated("2026-11-24T10:00:00.123Z")
        .setSubmittedBy(null)
        .build();
    String csv = CaseListCsv.write(List.of(tricky, plain));
    assertThat(csv).isEqualTo(
        "case-id,status,severity,service,subject,createdtime,case-owner,account-id\r\n"
            + "1001,opened,urgent,amazon-elastic-compute-cloud-linux,EC2 down," + plain.getTimeCreated() + ",ops@example.com,111111111111\r\n"
            + "1002,resolved,low,amazon-elastic-compute-cloud-linux,\"Quota, \"\"limits\"\" and more\",2026-11-24T10:00:00.123Z,,111111111111\r\n");
  }

  @Test
  void anEmptySnapshotIsTheHeaderAlone() {
    assertThat(CaseListCsv.write(List.of())).isEqualTo(String.join(",", CaseListCsv.COLUMNS) + "\r\n");
  }
}
