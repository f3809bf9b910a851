package io.casefeed.notifier.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.notifier.render.RenderedMail;
import io.casefeed.notifier.testing.Cases;
import io.casefeed.schema.CaseDetails;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertRendererTest {

  private static final Instant WINDOW = Instant.parse("2026-11-26T09:14:00Z");

  @Test
  void oneMailGroupsTheWindowsAlertsByKindWithCountsInTheSubject() throws Exception {
    CaseDetails a = Cases.details("111111111111", "17000000001", "Checkout <down>", "opened", "critical", WINDOW);
    CaseDetails b = Cases.details("111111111111", "17000000002", "Checkout slow", "opened", "urgent", WINDOW);
    CaseDetails c = Cases.details("222222222222", "17000000003", "Need logs", "pending-customer-action", "normal", WINDOW);
    List<AlertEvent> events = List.of(
        new AlertEvent("1", AlertEvent.Kind.NEW_CASE, "111111111111", WINDOW.plusSeconds(5), Cases.summary(a), "opened as critical"),
        new AlertEvent("2", AlertEvent.Kind.NEW_CASE, "111111111111", WINDOW.plusSeconds(9), Cases.summary(b), "opened as urgent"),
        new AlertEvent("3", AlertEvent.Kind.WAITING_ON_CUSTOMER, "222222222222", WINDOW.plusSeconds(20), Cases.summary(c),
            "waiting on you since 2026-11-23T09:14:00Z"),
        new AlertEvent("4", AlertEvent.Kind.ACCOUNT_UNREADABLE, "333333333333", WINDOW.plusSeconds(30), null,
            "access denied: AssumeRole denied"));
    Map<String, String> names = Map.of("111111111111", "prod-payments", "333333333333", "legacy-billing");
    RenderedMail mail = new AlertRenderer("https://console.example/case/{displayId}", ZoneId.of("Europe/Paris"))
        .render("ops", WINDOW, events, names::get);

    assertThat(mail.subject()).isEqualTo("[casefeed] ops alert: 2 new cases, 1 waiting on you, 1 account unreadable");
    assertThat(mail.text()).contains("changes seen from 2026-11-26 10:14 CET")
        .contains("17000000001 [critical, opened] Checkout <down>")
        .contains("prod-payments (111111111111), opened as critical")
        .contains("https://console.example/case/17000000002")
        .contains("legacy-billing (333333333333): access denied: AssumeRole denied");
    assertThat(mail.html()).contains("Checkout &lt;down&gt;").contains("<a href=\"https://console.example/case/17000000003\">");
    assertThat(mail.attachmentCsv()).isNull();
    Files.writeString(Path.of("target", "alert-example.html"), mail.html());
  }
}
