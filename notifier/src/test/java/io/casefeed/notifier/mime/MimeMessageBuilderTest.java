package io.casefeed.notifier.mime;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.notifier.render.RenderedMail;
import io.casefeed.notifier.testing.ParsedMail;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MimeMessageBuilderTest {

  private static final Instant DATE = Instant.parse("2026-11-26T08:00:00Z");

  @Test
  void textHtmlAndCsvRoundTripThroughTheMimeStructure() {
    RenderedMail mail = new RenderedMail("[casefeed] ops digest: 2 opened", "plain é text\n", "<p>html ✓</p>\n",
        "case_list.csv", "case-id,status\r\n1001,opened\r\n");
    byte[] raw = MimeMessageBuilder.build("casefeed@example.com", "alice@example.com", "digest|2026-11-26T08:00:00Z|ops|alice@example.com",
        DATE, mail);
    String ascii = new String(raw, StandardCharsets.US_ASCII);
    assertThat(ascii.chars().allMatch(c -> c < 128)).isTrue();
    assertThat(ascii.split("\r\n")).allMatch(line -> line.length() <= 998);

    ParsedMail parsed = ParsedMail.parse(raw);
    assertThat(parsed.header("From")).isEqualTo("casefeed@example.com");
    assertThat(parsed.header("To")).isEqualTo("alice@example.com");
    assertThat(parsed.header(MimeMessageBuilder.MAIL_ID_HEADER)).isEqualTo("digest|2026-11-26T08:00:00Z|ops|alice@example.com");
    assertThat(parsed.header("Date")).isEqualTo("Thu, 26 Nov 2026 08:00:00 GMT");
    assertThat(parsed.subject()).isEqualTo("[casefeed] ops digest: 2 opened");
    assertThat(parsed.text).isEqualTo("plain é text\n");
    assertThat(parsed.html).isEqualTo("<p>html ✓</p>\n");
    assertThat(parsed.attachments).containsEntry("case_list.csv", "case-id,status\r\n1001,opened\r\n");
  }

  @Test
  void anAlertHasNoAttachmentAndTheSameMailIsTheSameBytes() {
    RenderedMail alert = new RenderedMail("alert", "t", "<p>h</p>", null, null);
    byte[] first = MimeMessageBuilder.build("a@example.com", "b@example.com", "alert|x|ops|b@example.com", DATE, alert);
    byte[] again = MimeMessageBuilder.build("a@example.com", "b@example.com", "alert|x|ops|b@example.com", DATE, alert);
    assertThat(first).isEqualTo(again);
    ParsedMail parsed = ParsedMail.parse(first);
    assertThat(parsed.attachments).isEmpty();
    assertThat(parsed.header("Content-Type")).startsWith("multipart/alternative");
    assertThat(parsed.text).isEqualTo("t");
  }

  @Test
  void nonAsciiSubjectsBecomeEncodedWordsThatDecodeBack() {
    String subject = "Résumé des cas: ".repeat(8) + "日本語";
    String encoded = MimeMessageBuilder.encodeHeader(subject);
    assertThat(encoded).matches("(=\\?UTF-8\\?B\\?[A-Za-z0-9+/=]+\\?= ?)+");
    assertThat(encoded.split(" ")).allMatch(word -> word.length() <= 75);
    RenderedMail mail = new RenderedMail(subject, "t", "h", null, null);
    assertThat(ParsedMail.parse(MimeMessageBuilder.build("a@example.com", "b@example.com", "id", DATE, mail)).subject())
        .isEqualTo(subject);
  }
}
