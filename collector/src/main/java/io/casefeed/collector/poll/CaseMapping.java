package io.casefeed.collector.poll;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.Communication;
import java.time.Instant;
import java.time.OffsetDateTime;
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
