package io.casefeed.localcloud;

import java.util.ArrayList;
import java.util.List;

/**
 * A support case as it is now (the simulation's ground truth), with AWS Support's CaseDetails
 * field names. {@code timeCreated} is ISO-8601 UTC with milliseconds and {@code Z}, so comparing
 * the strings compares the instants. Communications are newest first.
 */
public record SimulatedCase(
    String caseId,
    String displayId,
    String subject,
    String status,
    String serviceCode,
    String categoryCode,
    String severityCode,
    String submittedBy,
    String timeCreated,
    List<String> ccEmailAddresses,
    String language,
    List<SimulatedCommunication> communications) {

  public static final String AWS_SUBMITTER = "Amazon Web Services";
  public static final String RESOLVED = "resolved";

  public SimulatedCase {
    ccEmailAddresses = List.copyOf(ccEmailAddresses);
    communications = List.copyOf(communications);
  }

  public boolean resolved() {
    return RESOLVED.equals(status);
  }

  public SimulatedCase withStatus(String newStatus) {
    return new SimulatedCase(caseId, displayId, subject, newStatus, serviceCode, categoryCode, severityCode,
        submittedBy, timeCreated, ccEmailAddresses, language, communications);
  }

  public SimulatedCase withSeverity(String newSeverity) {
    return new SimulatedCase(caseId, displayId, subject, status, serviceCode, categoryCode, newSeverity,
        submittedBy, timeCreated, ccEmailAddresses, language, communications);
  }

  /** This case with {@code communication} as its newest message. */
  public SimulatedCase withCommunication(SimulatedCommunication communication) {
    List<SimulatedCommunication> newestFirst = new ArrayList<>(communications.size() + 1);
    newestFirst.add(communication);
    newestFirst.addAll(communications);
    return new SimulatedCase(caseId, displayId, subject, status, serviceCode, categoryCode, severityCode,
        submittedBy, timeCreated, ccEmailAddresses, language, newestFirst);
  }
}
