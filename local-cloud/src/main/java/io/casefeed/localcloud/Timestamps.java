package io.casefeed.localcloud;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** AWS Support's timestamp format: ISO-8601, UTC, milliseconds, {@code Z}. */
public final class Timestamps {

  private static final DateTimeFormatter SUPPORT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {
  }

  public static String format(Instant instant) {
    return SUPPORT.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  /** Parses the forms AWS accepts for afterTime/beforeTime; throws IllegalArgumentException otherwise. */
  public static Instant parseLenient(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notInstant) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException notOffset) {
        try {
          return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notLocal) {
          try {
            return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
          } catch (DateTimeParseException notDate) {
            throw new IllegalArgumentException("not an ISO-8601 time: " + text);
          }
        }
      }
    }
  }
}
