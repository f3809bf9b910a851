package io.casefeed.localcloud.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.schema.SupportEvent;
import io.casefeed.schemas.events.SupportEventParser;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SupportEventEnvelopeTest {

  private static final Instant AT = Instant.parse("2026-11-26T08:15:31.250Z");

  @Test
  void whatTheStandInSendsIsWhatCasefeedsParserReads() {
    String body = SupportEventEnvelope.json("e-2", "123456789012", AT, "us-east-1",
        "case-123456789012-muen-2026-1", "42", "ekko-abc", "AddCommunicationToCase", "CUSTOMER");

    SupportEventParser.Result result = SupportEventParser.parse(body, AT, "m");

    assertThat(result.ok()).as(result.reason()).isTrue();
    SupportEvent event = result.event();
    assertThat(event.getOrigin()).isEqualTo("CUSTOMER");
    assertThat(event.getCommunicationId()).isEqualTo("ekko-abc");
    assertThat(event.getEventTime()).as("EventBridge writes whole seconds").isEqualTo(Instant.parse("2026-11-26T08:15:31Z"));
    assertThat(body).contains("\"detail-type\":\"Support Case Update\"", "\"source\":\"aws.support\"", "\"version\":\"0\"");
  }

  @Test
  void eventsWithoutACommunicationCarryEmptyStringsAsSupportWritesThem() {
    String body = SupportEventEnvelope.json("e-1", "123456789012", AT, "us-east-1",
        "case-123456789012-muen-2026-7c2e4ac0d4e86a8f", "1700000001", null, "ResolveCase", null);

    assertThat(body).contains("\"communication-id\":\"\"", "\"origin\":\"\"");
    assertThat(SupportEventParser.parse(body, AT, null).event().getCommunicationId()).isNull();
  }
}
