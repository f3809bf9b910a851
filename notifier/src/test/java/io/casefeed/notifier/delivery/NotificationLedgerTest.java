package io.casefeed.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.schema.NotificationRecord;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NotificationLedgerTest {

  private static final Instant T0 = Instant.parse("2026-12-05T08:00:00Z");

  private static NotificationRecord record(String id, String group, String stage, Instant at) {
    return NotificationRecord.newBuilder().setMailId(id).setKind(OutgoingMail.ALERT).setStage(stage).setRecipientGroup(group)
        .setRecipient(id.endsWith("slack") ? "slack:oncall" : "lead@example.com").setPeriod(T0.toString()).setSubject("s")
        .setSesMessageId(null).setError(NotificationLedger.SENT.equals(stage) ? null : "why").setRecordedAt(at).build();
  }

  @Test
  void undeliveredAreTheGroupsRejectedAndFailedOfThePeriodByTheirLatestRecord() {
    NotificationLedger ledger = new NotificationLedger();
    ledger.apply("a-slack", record("a-slack", "ops", NotificationLedger.REJECTED, T0.plusSeconds(30)));
    ledger.apply("b-mail", record("b-mail", "ops", NotificationLedger.FAILED, T0.plusSeconds(10)));
    ledger.apply("c-mail", record("c-mail", "ops", NotificationLedger.SENT, T0.plusSeconds(20)));
    ledger.apply("d-mail", record("d-mail", "billing", NotificationLedger.FAILED, T0.plusSeconds(20)));
    ledger.apply("e-mail", record("e-mail", "ops", NotificationLedger.FAILED, T0.minusSeconds(1)));
    ledger.apply("f-mail", record("f-mail", "ops", NotificationLedger.FAILED, T0.plusSeconds(40)));
    // Sent after all (a retry that went through): its latest record says so.
    ledger.apply("f-mail", record("f-mail", "ops", NotificationLedger.SENT, T0.plusSeconds(50)));

    assertThat(ledger.undeliveredBetween("ops", T0, T0.plusSeconds(3600))).extracting(NotificationRecord::getMailId)
        .containsExactly("b-mail", "a-slack");
  }
}
