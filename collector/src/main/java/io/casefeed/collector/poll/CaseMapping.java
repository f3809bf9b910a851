package io.casefeed.collector.poll;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.Communication;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;

/**
 * From the SDK's Support shapes to casefeed's Avro records, keeping AWS's strings exactly; and to
 * JSON text, for a shape that cannot become a record and is kept on the dead-letter topic instead.
 */
final class CaseMapping {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CaseMapping() {}

  static CaseDetails toAvro(String accountId, software.amazon.awssdk.services.support.model.CaseDetails c,
      List<software.amazon.awssdk.services.support.model.Communication> communications, String communicationsNextToken) {
    return CaseDetails.newBuilder()
        .setAccountId(accountId)
        .setCaseId(c.caseId())
        .setDisplayId(c.displayId())
        .setSubject(c.subject())
        .setStatus(c.status())
        .setServiceCode(c.serviceCode())
        .setCategoryCode(c.categoryCode())
        .setSeverityCode(c.severityCode())
        .setSubmittedBy(c.submittedBy())
        .setTimeCreated(c.timeCreated())
        .setTimeCreatedAt(parse(c.timeCreated()))
        .setCcEmailAddresses(List.copyOf(c.ccEmailAddresses()))
        .setLanguage(c.language())
        .setRecentCommunications(communications.stream().map(CaseMapping::toAvro).toList())
        .setRecentCommunicationsNextToken(communicationsNextToken)
        .build();
  }

  static Communication toAvro(software.amazon.awssdk.services.support.model.Communication c) {
    return Communication.newBuilder()
        .setBody(c.body() == null ? "" : c.body())
        .setSubmittedBy(c.submittedBy() == null ? "" : c.submittedBy())
        .setTimeCreated(c.timeCreated() == null ? "" : c.timeCreated())
        .setTimeCreatedAt(parse(c.timeCreated()))
        .setAttachmentCount(c.attachmentSet() == null ? 0 : c.attachmentSet().size())
        .build();
  }

  /** AWS writes ISO-8601 timestamps, with or without an offset; anything else is kept only as text. */
  static Instant parse(String awsTime) {
    if (awsTime == null || awsTime.isBlank()) {
      return null;
    }
    Instant usual = parseUsualShape(awsTime);
    if (usual != null) {
      return usual;
    }
    try {
      return Instant.parse(awsTime);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(awsTime).toInstant();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  /**
   * AWS Support's own shape, {@code 2026-12-03T10:15:30.123Z}, read field by field; null for any
   * other text, which {@link #parse} then gives to {@code java.time}. A sweep reads every
   * communication's time about three times, and {@code DateTimeFormatter} costs a microsecond or
   * more each: at 2,000 accounts this was 8 % of the collector's CPU. The result is the same
   * instant {@code Instant.parse} gives (CaseMappingPropertiesTest compares them).
   */
  private static Instant parseUsualShape(String s) {
    if (s.length() != 24 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':' || s.charAt(19) != '.' || s.charAt(23) != 'Z') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    int millis = digits(s, 20, 3);
    // A leap second (:60), 24:00 and impossible dates are left to java.time, which has rules for each.
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > Month.of(month).length(Year.isLeap(year))
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || millis < 0) {
      return null;
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3_600L + minute * 60L + second, millis * 1_000_000L);
  }

  /** The ASCII decimal number in {@code s[from, from + count)}, or -1 if any character is not an ASCII digit. */
  private static int digits(String s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /**
   * The shape as JSON with AWS's member names, every member present ({@code null} when AWS sent
   * none), so that a person reading a dead letter sees exactly what was missing.
   */
  static String toJson(SdkPojo shape) {
    try {
      return JSON.writeValueAsString(plain(shape));
    } catch (JsonProcessingException e) {
      // plain() yields only maps, lists, strings, numbers and booleans, which always serialise.
      throw new IllegalStateException("cannot render " + shape.getClass().getSimpleName() + " as JSON", e);
    }
  }

  private static Object plain(Object value) {
    if (value == null || value instanceof SdkAutoConstructList<?> || value instanceof SdkAutoConstructMap<?, ?>) {
      return null;
    }
    if (value instanceof SdkPojo pojo) {
      Map<String, Object> members = new LinkedHashMap<>();
      for (SdkField<?> field : pojo.sdkFields()) {
        members.put(field.locationName(), plain(field.getValueOrDefault(pojo)));
      }
      return members;
    }
    if (value instanceof List<?> list) {
      List<Object> items = new ArrayList<>();
      list.forEach(item -> items.add(plain(item)));
      return items;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> entries = new LinkedHashMap<>();
      map.forEach((key, item) -> entries.put(String.valueOf(key), plain(item)));
      return entries;
    }
    return value instanceof String || value instanceof Number || value instanceof Boolean ? value : value.toString();
  }
}
