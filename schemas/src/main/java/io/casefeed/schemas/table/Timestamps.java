package io.casefeed.schemas.table;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Text forms of instants in the sink's outputs: ISO-8601 in UTC with a Z, always. */
public final class Timestamps {

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  /** ISO-8601 basic format: sorts as text and has no ':' (awkward in S3 keys and Hive partitions). */
  private static final DateTimeFormatter BASIC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {}

  public static String iso(Long epochMillis) {
    return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
  }

  /** The UTC day, yyyy-MM-dd, used for the dt= partition. */
  public static String day(long epochMillis) {
    return DAY.format(Instant.ofEpochMilli(epochMillis));
  }

  public static String basic(Instant instant) {
    return BASIC.format(instant);
  }
}
