package io.casefeed.notifier.digest;

import io.casefeed.notifier.render.RenderedMail;
import io.casefeed.notifier.render.CaseLine;
import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.notifier.routing.RecipientGroup;
import io.casefeed.notifier.testing.Cases;
import io.casefeed.notifier.testing.ParsedMail;
import io.casefeed.notifier.view.CaseBook;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DigestBuilderTest {

  static final Instant START = Instant.parse("2026-11-25T08:00:00Z");
  static final Instant END = Instant.parse("2026-11-26T08:00:00Z");
  static final String PROD = "111111111111";
  static final String DEV = "222222222222";
  static final String LOCKED = "333333333333";

  /** A small organisation after one day: used here and to render docs/examples/digest.html. */
  static CaseBook sampleBook() {
    CaseBook book = new CaseBook(3);
    book.onAccount(PROD, Cases.account(PROD, "prod-payments", START));
    book.onAccount(DEV, Cases.account(DEV, "dev-sandbox", START));
    book.onAccount(LOCKED, Cases.account(LOCKED, "legacy-billing", START));
    book.coverage().onSweep(Cases.sweep(PROD, "ok", null, END.minusSeconds(60)));
    book.coverage().onSweep(Cases.sweep(DEV, "ok", null, END.minusSeconds(60)));
    book.coverage().onSweep(Cases.sweep(LOCKED, "access-denied", "AssumeRole denied for GetSupportInfoRole", END.minusSeconds(60)));

    CaseDetails outage = Cases.details(PROD, "17345112001", "Production RDS failover loops <urgent>", "work-in-progress",
        "critical", START.plusSeconds(3600));
    CaseDetails quota = Cases.details(PROD, "17345112002", "Raise the Lambda concurrency quota", "pending-customer-action",
        "normal", START.minusSeconds(86_400 * 3));
    CaseDetails billing = Cases.details(PROD, "17345112003", "Invoice, \"credits\" question", "resolved", "low",
        START.minusSeconds(86_400 * 10));
    CaseDetails old = Cases.details(DEV, "17345112004", "SES sending limits", "opened", "low", START.minusSeconds(86_400 * 40));
    CaseDetails escalated = Cases.details(DEV, "17345112005", "EKS nodes not joining", "opened", "urgent", START.minusSeconds(86_400));
    for (CaseState s : List.of(
        Cases.state(outage, START.plusSeconds(3600), false, null),
        Cases.state(quota, START.minusSeconds(86_400 * 3), false, START.minusSeconds(86_400)),
        Cases.state(billing, START.minusSeconds(86_400 * 10), false, null),
        Cases.state(old, START.minusSeconds(86_400 * 2), true, null),
        Cases.state(escalated, START.minusSeconds(86_400), false, null))) {
      book.onCase(s.getAccountId() + ":" + s.getCaseDetails().getCaseId(), s);
    }
    book.onChange(Cases.change("CASE_OPENED", null, outage, START.plusSeconds(3700), false));
    book.onChange(Cases.change("CASE_RESOLVED", Cases.withStatus(billing, "opened"), billing, START.plusSeconds(7200), false));
    book.onChange(Cases.change("SEVERITY_CHANGED", Cases.withSeverity(escalated, "normal"), escalated, START.plusSeconds(9000), false));
    book.onChange(Cases.change("SEVERITY_CHANGED", escalated, Cases.withSeverity(escalated, "low"), START.plusSeconds(9100), false));
    book.onChange(Cases.change("CASE_OPENED", null, old, START.plusSeconds(60), true));
    // Before the period: not news in this digest.
    book.onChange(Cases.change("CASE_OPENED", null, quota, START.minusSeconds(10), false));
    return book;
  }

  static Digest sampleDigest(RecipientGroup group) {
    return new DigestBuilder("https://console.aws.amazon.com/support/home#/case/?displayId={displayId}", 10, ZoneOffset.UTC)
        .build(group, sampleBook(), START, END);
  }

  private static final RecipientGroup EVERYONE = new RecipientGroup("ops", List.of("ops@example.com"), Set.of(), null);

  @Test
  void saysWhatChangedInThePeriodAndCountsBackfillApart() {
    Digest d = sampleDigest(EVERYONE);
    assertThat(d.opened()).extracting(CaseLine::displayId).containsExactly("17345112001");
    assertThat(d.resolved()).extracting(CaseLine::displayId).containsExactly("17345112003");
    assertThat(d.escalated()).extracting(CaseLine::note).containsExactly("normal → urgent");
    assertThat(d.reopened()).isEmpty();
    assertThat(d.backfilled()).isEqualTo(1);
  }

  @Test
  void listsUrgentWaitingAndOldestOpenCasesWithConsoleLinks() {
    Digest d = sampleDigest(EVERYONE);
    assertThat(d.urgentOpen()).extracting(CaseLine::displayId).containsExactly("17345112001", "17345112005");
    assertThat(d.waitingOnCustomer()).extracting(CaseLine::displayId).containsExactly("17345112002");
    assertThat(d.oldestOpen()).extracting(CaseLine::displayId).containsExactly("17345112004", "17345112002", "17345112005", "17345112001");
    assertThat(d.urgentOpen().get(0).consoleLink())
        .isEqualTo("https://console.aws.amazon.com/support/home#/case/?displayId=17345112001");
  }

  @Test
  void coverageNamesUnreadableAccountsFirstAndThePivotCountsEveryCase() {
    Digest d = sampleDigest(EVERYONE);
    assertThat(d.coverage().get(0).accountLabel()).isEqualTo("legacy-billing (333333333333)");
    assertThat(d.coverage().get(0).status()).isEqualTo("access denied");
    assertThat(d.unreadableAccounts()).isEqualTo(1);
    assertThat(d.pivot().stream().mapToLong(Digest.PivotRow::total).sum()).isEqualTo(5);
    assertThat(d.pivot()).anySatisfy(row -> {
      assertThat(row.accountLabel()).isEqualTo("dev-sandbox (222222222222)");
      assertThat(row.status()).isEqualTo("opened");
      assertThat(row.countsBySeverity()).containsEntry("low", 1L).containsEntry("urgent", 1L);
    });
    assertThat(d.caseListCsv().split("\r\n")).hasSize(6);
  }

  @Test
  void aGroupSeesOnlyItsAccounts() {
    RecipientGroup dev = new RecipientGroup("dev", List.of("dev@example.com"), Set.of(), Pattern.compile("dev-.*"));
    Digest d = sampleDigest(dev);
    assertThat(d.coverage()).extracting(Digest.CoverageLine::accountId).containsExactly(DEV);
    assertThat(d.opened()).isEmpty();
    assertThat(d.escalated()).hasSize(1);
    assertThat(d.caseListCsv()).doesNotContain(PROD);
  }

  @Test
  void rendersSubjectTextAndEscapedHtml() throws Exception {
    RenderedMail mail = DigestRenderer.render(sampleDigest(EVERYONE));
    assertThat(mail.subject()).isEqualTo("[casefeed] ops digest 2026-11-26: 1 opened, 1 resolved, 1 escalated, "
        + "2 urgent/critical open, 1 waiting on you, 1 account unreadable");
    assertThat(mail.text()).contains("! legacy-billing (333333333333): access denied (AssumeRole denied for GetSupportInfoRole)")
        .contains("(1 existing case read for the first time, not counted as new)")
        .contains("https://console.aws.amazon.com/support/home#/case/?displayId=17345112005");
    assertThat(mail.html()).contains("Production RDS failover loops &lt;urgent&gt;").doesNotContain("loops <urgent>")
        .contains("<a href=\"https://console.aws.amazon.com/support/home#/case/?displayId=17345112001\">17345112001</a>");
    assertThat(mail.attachmentName()).isEqualTo("case_list.csv");

    // The example kept in docs/ is this rendering; regenerate it from target/ when the layout changes.
    Path example = Path.of("target", "digest-example.html");
    Files.writeString(example, mail.html());
    byte[] raw = io.casefeed.notifier.mime.MimeMessageBuilder.build("casefeed@example.com", "ops@example.com", "id", END, mail);
    assertThat(ParsedMail.parse(raw).html).isEqualTo(mail.html());
  }

  @Test
  void whatDidNotGoThroughIsReportedInTheSubjectAndBothParts() {
    Digest.Undelivered revoked = new Digest.Undelivered("slack:oncall", "alert", "rejected",
        "rejected: slack:oncall answered HTTP 404: no_service", START.plusSeconds(600));
    Digest.Undelivered mail = new Digest.Undelivered("lead@example.com", "alert", "failed",
        "failed after 6 attempt(s): SES throttled", START.plusSeconds(900));
    Digest d = new DigestBuilder("https://console.example/{displayId}", 10, ZoneOffset.UTC)
        .build(EVERYONE, sampleBook(), START, END, List.of(revoked, mail));

    assertThat(d.undelivered()).containsExactly(revoked, mail);
    assertThat(DigestRenderer.subject(d)).contains("2 not delivered");
    assertThat(DigestRenderer.text(d)).contains("NOT DELIVERED SINCE THE LAST DIGEST (2)")
        .contains("alert to slack:oncall, rejected").contains("no_service").contains("alert to lead@example.com, failed");
    assertThat(DigestRenderer.html(d)).contains("Not delivered since the last digest").contains("slack:oncall")
        .contains("answered HTTP 404: no_service");
    assertThat(DigestRenderer.subject(sampleDigest(EVERYONE))).doesNotContain("not delivered");
    assertThat(DigestRenderer.text(sampleDigest(EVERYONE))).doesNotContain("NOT DELIVERED");
  }
}
