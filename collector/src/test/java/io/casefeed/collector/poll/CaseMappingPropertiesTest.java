package io.casefeed.collector.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import software.amazon.awssdk.services.support.model.CaseDetails;
import software.amazon.awssdk.services.support.model.Communication;

/**
 * Whatever AWS's Support reply holds — unknown statuses, missing fields, very long subjects, odd
 * Unicode, timestamps with or without a zone — the mapping never throws, keeps every string exactly,
 * and parses a timestamp only when it names an instant.
 */
class CaseMappingPropertiesTest {

  @Property(tries = 500)
  void keepsAwsStringsExactlyAndParsesOnlyRealInstants(@ForAll("text") String subject, @ForAll("status") String status,
      @ForAll("timestamps") TimeCase time, @ForAll("text") String body) {
    String timeCreated = time.text();
    CaseDetails aws = CaseDetails.builder()
        .caseId("case-123456789012-muen-2024-7c2e4ac0d4e86a8f").displayId("1")
        .subject(subject).status(status).severityCode(status).serviceCode(null).timeCreated(timeCreated).build();
    Communication reply = Communication.builder().body(body).submittedBy(null).timeCreated(timeCreated).build();

    var mapped = CaseMapping.toAvro("123456789012", aws, List.of(reply), null);

    assertThat(mapped.getSubject()).isEqualTo(subject);
    assertThat(mapped.getStatus()).isEqualTo(status);
    assertThat(mapped.getServiceCode()).isNull();
    assertThat(mapped.getTimeCreated()).isEqualTo(timeCreated);
    assertThat(mapped.getRecentCommunications().get(0).getBody()).isEqualTo(body == null ? "" : body);
    assertThat(mapped.getTimeCreatedAt()).as("instant of '%s'", timeCreated).isEqualTo(time.instant());
  }

  /** A timestamp as AWS might write it, and the instant it names (null when it names none). */
  record TimeCase(String text, Instant instant) {}

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(200), Arbitraries.strings().ofLength(20_000),
        Arbitraries.of("", "多言語の件名 🚀", "a,b \"quoted\"\nnext line", "\u0000\u202e"), Arbitraries.just(null));
  }

  @Provide
  Arbitrary<String> status() {
    return Arbitraries.oneOf(Arbitraries.of("opened", "resolved", "pending-customer-action", "some-future-status", ""),
        Arbitraries.strings().alpha().ofMaxLength(30), Arbitraries.just(null));
  }

  @Provide
  Arbitrary<TimeCase> timestamps() {
    Arbitrary<Instant> instants = Arbitraries.longs().between(0, 4_102_444_800_000L).map(Instant::ofEpochMilli);
    return Arbitraries.oneOf(
        instants.map(i -> new TimeCase(i.toString(), i)),
        // Without a zone it names no instant: kept as text only, never guessed.
        instants.map(i -> new TimeCase(i.toString().replace("Z", ""), null)),
        instants.map(i -> new TimeCase(i.atOffset(java.time.ZoneOffset.ofHours(9)).toString(), i)),
        Arbitraries.of("", "yesterday", "2024-13-45T99:99:99Z", "2024-03-05 07:15:42").map(t -> new TimeCase(t, null)),
        Arbitraries.just(new TimeCase(null, null)));
  }

  /** AWS Support's usual shape is read by hand (for speed): it must give exactly what java.time gives. */
  @Property(tries = 5000)
  void readsTheUsualShapeExactlyAsJavaTimeDoes(@ForAll("usualShapeAndNearMisses") String text) {
    assertThat(CaseMapping.parse(text)).as("instant of '%s'", text).isEqualTo(javaTime(text));
  }

  /** What parse gave before the hand-read shape: java.time alone. */
  private static Instant javaTime(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  private static final DateTimeFormatter AWS_SHAPE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  @Provide
  Arbitrary<String> usualShapeAndNearMisses() {
    // Every millisecond from 0000-01-01 to 9999-12-31, written as AWS writes it.
    Arbitrary<String> usual = Arbitraries.longs().between(-62_167_219_200_000L, 253_402_300_799_999L)
        .map(ms -> AWS_SHAPE.format(Instant.ofEpochMilli(ms)));
    // The same shape with fields just outside their ranges: month 13, day 0 or 31 in a short month,
    // 29 February of a common year, hour 24, minute or second 60.
    Arbitrary<String> fields = Combinators.combine(Arbitraries.integers().between(0, 9999), Arbitraries.integers().between(0, 13),
            Arbitraries.integers().between(0, 32), Arbitraries.integers().between(0, 25), Arbitraries.integers().between(0, 61),
            Arbitraries.integers().between(0, 61), Arbitraries.integers().between(0, 999))
        .as((y, mo, d, h, mi, sec, ms) -> String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, mo, d, h, mi, sec, ms));
    // One character of the shape replaced by any other (a sign, a letter, a non-ASCII digit, ...).
    Arbitrary<String> mutated = Combinators.combine(usual, Arbitraries.integers().between(0, 23),
            Arbitraries.oneOf(Arbitraries.chars(), Arbitraries.of('+', '-', ':', '.', 'T', 'z', ' ', '\u0663')))
        .as((text, at, c) -> text.substring(0, at) + c + text.substring(at + 1));
    return Arbitraries.oneOf(usual, fields, mutated);
  }
}
