package io.casefeed.collector.poll;

import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.Communication;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/** From the SDK's Support shapes to casefeed's Avro records, keeping AWS's strings exactly. */
final class CaseMapping {

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
}
