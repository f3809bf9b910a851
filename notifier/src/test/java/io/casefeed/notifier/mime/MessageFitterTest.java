package io.casefeed.notifier.mime;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.notifier.link.PresignedLink;
import io.casefeed.notifier.render.RenderedMail;
import io.casefeed.notifier.testing.ParsedMail;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class MessageFitterTest {

  private static final Instant DATE = Instant.parse("2026-12-04T08:00:00Z");
  private static final String FROM = "casefeed@example.com";
  private static final String TO = "ops@example.com";
  private static final String ID = "digest|2026-12-04T08:00:00Z|ops|ops@example.com";
  private static final String HTML = "<!DOCTYPE html>\n<html><body><h2>digest</h2>\n</body></html>\n";

  /** Rows shaped like the seed's case_list.csv: they repeat a lot, as a real case list does. */
  private static String caseList(int rows) {
    StringBuilder csv = new StringBuilder("case-id,status,severity,service,subject,createdtime,case-owner,account-id\r\n");
    for (int i = 0; i < rows; i++) {
      csv.append("case-").append(100000000000L + i).append("-mues-2026-").append(i % 97)
          .append(",opened,").append(i % 5 == 0 ? "urgent" : "normal").append(",amazon-elastic-compute-cloud-linux,")
          .append("\"Instance i-").append(Integer.toHexString(i)).append(" unreachable after reboot\",")
          .append("2026-11-").append(10 + i % 18).append("T08:").append(10 + i % 50).append(":00.000Z,")
          .append("owner").append(i % 40).append("@example.com,").append(100000000000L + i % 1000).append("\r\n");
    }
    return csv.toString();
  }

  /** Letters without repetition: gzip cannot make this much smaller. */
  private static String incompressible(int bytes) {
    Random random = new Random(42);
    StringBuilder s = new StringBuilder(bytes);
    for (int i = 0; i < bytes; i++) {
      s.append((char) ('!' + random.nextInt(90)));
    }
    return s.toString();
  }

  private static RenderedMail digest(String text, String csv) {
    return new RenderedMail("[casefeed] ops digest 2026-12-04: 3 opened", text, HTML, "case_list.csv", csv);
  }

  @Test
  void aMailWithinTheLimitIsSentAsItIsByteForByte() {
    RenderedMail mail = digest("text\n", caseList(20));
    MessageFitter.Fitted fitted = new MessageFitter(MessageFitter.SES_MAX_MESSAGE_BYTES).fit(FROM, TO, ID, DATE, mail);
    assertThat(fitted.form()).isEqualTo(MessageFitter.Form.AS_IS);
    assertThat(fitted.withinLimit()).isTrue();
    assertThat(fitted.raw()).isEqualTo(MimeMessageBuilder.build(FROM, TO, ID, DATE, mail));
  }

  @Test
  void aCaseListOverTheLimitIsSentGzippedAndUnzipsToTheSameList() throws IOException {
    String csv = caseList(5_000);
    RenderedMail mail = digest("text\n", csv);
    int limit = MimeMessageBuilder.build(FROM, TO, ID, DATE, mail).length / 2;
    MessageFitter.Fitted fitted = new MessageFitter(limit).fit(FROM, TO, ID, DATE, mail);

    assertThat(fitted.form()).isEqualTo(MessageFitter.Form.ATTACHMENT_GZIPPED);
    assertThat(fitted.withinLimit()).isTrue();
    assertThat(fitted.raw().length).isLessThanOrEqualTo(limit);
    ParsedMail parsed = ParsedMail.parse(fitted.raw());
    assertThat(parsed.attachmentBytes).containsOnlyKeys("case_list.csv.gz");
    assertThat(parsed.attachmentTypes.get("case_list.csv.gz")).startsWith("application/gzip");
    assertThat(gunzip(parsed.attachmentBytes.get("case_list.csv.gz"))).isEqualTo(csv);
    assertThat(parsed.text).isEqualTo("text\n");
    // the mail sent again after a restart is the same bytes
    assertThat(new MessageFitter(limit).fit(FROM, TO, ID, DATE, mail).raw()).isEqualTo(fitted.raw());
  }

  @Test
  void aListLargerThanTheConfiguredSizeIsGzippedEvenWhenItWouldFitAndASmallerOneIsNot() throws IOException {
    String csv = caseList(1_000);
    int csvBytes = csv.getBytes(StandardCharsets.UTF_8).length;
    MessageFitter.Fitted big = new MessageFitter(MessageFitter.SES_MAX_MESSAGE_BYTES, csvBytes - 1)
        .fit(FROM, TO, ID, DATE, digest("t", csv));
    assertThat(big.form()).isEqualTo(MessageFitter.Form.ATTACHMENT_GZIPPED);
    assertThat(gunzip(ParsedMail.parse(big.raw()).attachmentBytes.get("case_list.csv.gz"))).isEqualTo(csv);

    MessageFitter.Fitted small = new MessageFitter(MessageFitter.SES_MAX_MESSAGE_BYTES, csvBytes)
        .fit(FROM, TO, ID, DATE, digest("t", csv));
    assertThat(small.form()).isEqualTo(MessageFitter.Form.AS_IS);
    assertThat(ParsedMail.parse(small.raw()).attachments).containsEntry("case_list.csv", csv);
  }

  @Test
  void aListTooBigEvenGzippedIsLeftOutAndBothPartsSayWhereItIs() {
    String csv = incompressible(200_000);
    RenderedMail mail = digest("digest text\n", csv);
    MessageFitter.Fitted fitted = new MessageFitter(100_000).fit(FROM, TO, ID, DATE, mail);

    assertThat(fitted.form()).isEqualTo(MessageFitter.Form.ATTACHMENT_LEFT_OUT);
    assertThat(fitted.withinLimit()).isTrue();
    assertThat(fitted.raw().length).isLessThanOrEqualTo(100_000);
    ParsedMail parsed = ParsedMail.parse(fitted.raw());
    assertThat(parsed.attachments).isEmpty();
    assertThat(parsed.text).startsWith("digest text\n")
        .contains("case_list.csv (0.2 MB) is not attached")
        .contains("case_list/latest/case_list.csv");
    assertThat(parsed.html).contains("case_list.csv (0.2 MB) is not attached").endsWith("</body></html>\n");
    assertThat(parsed.html.indexOf("is not attached")).isLessThan(parsed.html.indexOf("</body>"));
  }

  @Test
  void aListLeftOutIsLinkedByAPresignedUrlInBothPartsAndTheLinkIsAskedOnlyThen() {
    String url = "https://casefeed-lists.s3.eu-west-1.amazonaws.com/casefeed/case_list/latest/case_list.csv"
        + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=604800&X-Amz-Signature=0a1b";
    Instant expires = Instant.parse("2026-12-12T08:00:00Z");
    AtomicInteger asked = new AtomicInteger();
    MessageFitter fitter = new MessageFitter(100_000, Long.MAX_VALUE, () -> {
      asked.incrementAndGet();
      return Optional.of(new PresignedLink(url, expires));
    });

    fitter.fit(FROM, TO, ID, DATE, digest("small digest\n", caseList(10)));
    assertThat(asked).as("a list that fits needs no link").hasValue(0);

    MessageFitter.Fitted fitted = fitter.fit(FROM, TO, ID, DATE, digest("digest text\n", incompressible(200_000)));
    assertThat(fitted.form()).isEqualTo(MessageFitter.Form.ATTACHMENT_LEFT_OUT);
    assertThat(asked).hasValue(1);
    ParsedMail parsed = ParsedMail.parse(fitted.raw());
    assertThat(parsed.attachments).isEmpty();
    assertThat(parsed.text).contains("case_list.csv (0.2 MB) is not attached")
        .contains("the link works until 2026-12-12T08:00:00Z").contains(url).doesNotContain("casefeed query");
    assertThat(parsed.html).contains("<a href=\"" + url.replace("&", "&amp;") + "\">Download the latest list</a>")
        .contains("2026-12-12T08:00:00Z");
  }

  @Test
  void wordsAloneOverTheLimitAreReportedAsNotFitting() {
    RenderedMail alert = new RenderedMail("alert", incompressible(150_000), "<p>h</p>", null, null);
    MessageFitter.Fitted fitted = new MessageFitter(100_000).fit(FROM, TO, ID, DATE, alert);
    assertThat(fitted.withinLimit()).isFalse();
    assertThat(fitted.raw()).isNull();
    assertThat(fitted.bytes()).isGreaterThan(100_000);

    MessageFitter.Fitted digest = new MessageFitter(100_000).fit(FROM, TO, ID, DATE, digest(incompressible(150_000), caseList(10)));
    assertThat(digest.withinLimit()).isFalse();
    assertThat(digest.form()).isEqualTo(MessageFitter.Form.ATTACHMENT_LEFT_OUT);
  }

  @Test
  void theSizeEstimateIsNeverBelowTheBuiltSize() {
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      String subject = i % 3 == 0 ? "Résumé ✓ " + "x".repeat(random.nextInt(300)) : "s".repeat(random.nextInt(900));
      String text = incompressible(random.nextInt(5_000)) + "é".repeat(random.nextInt(50));
      String html = "<p>" + "日本".repeat(random.nextInt(500)) + "</p>";
      String csv = random.nextBoolean() ? null : caseList(random.nextInt(40));
      RenderedMail mail = new RenderedMail(subject, text, html, csv == null ? null : "case_list.csv", csv);
      MimeMessageBuilder.Attachment attachment = csv == null ? null
          : new MimeMessageBuilder.Attachment("text/csv; charset=UTF-8", "case_list.csv", csv.getBytes(StandardCharsets.UTF_8));
      long built = MimeMessageBuilder.build(FROM, TO, ID + i, DATE, mail, attachment).length;
      assertThat(MessageFitter.upperBound(FROM, TO, ID + i, mail, attachment)).as("mail %d", i).isGreaterThanOrEqualTo(built);
    }
  }

  private static String gunzip(byte[] gzipped) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
