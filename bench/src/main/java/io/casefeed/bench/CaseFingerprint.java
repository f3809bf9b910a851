package io.casefeed.bench;

import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.Communication;
import io.casefeed.localcloud.SimulatedCase;
import io.casefeed.localcloud.SimulatedCommunication;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * What a user sees change in a case, the same from local-cloud's ground truth and from a change
 * event's {@code current} details: status, severity and the newest communication (its author and
 * time, since a new message is a change even when the status stays). What the fault suite and the
 * soak benchmark compare the pipeline's output with. Here, not in local-cloud: a stand-in never knows
 * casefeed's contracts (the Avro {@code CaseDetails}).
 */
public final class CaseFingerprint {

  private CaseFingerprint() {}

  public static String of(SimulatedCase truth) {
    SimulatedCommunication newest = truth.communications().isEmpty() ? null : truth.communications().get(0);
    return join(truth.status(), truth.severityCode(),
        newest == null ? null : newest.submittedBy(), newest == null ? null : newest.timeCreated());
  }

  public static String of(CaseDetails details) {
    Communication newest = details.getRecentCommunications().isEmpty() ? null : details.getRecentCommunications().get(0);
    return join(details.getStatus(), details.getSeverityCode(),
        newest == null ? null : newest.getSubmittedBy(), newest == null ? null : newest.getTimeCreated());
  }

  private static String join(String status, String severity, String author, String time) {
    return status + "|" + severity + "|" + author + "@" + instant(time);
  }

  /** AWS's timestamp strings may differ in form (fraction digits, offset) for one instant. */
  public static String instant(String time) {
    if (time == null) {
      return null;
    }
    try {
      return Instant.parse(time).toString();
    } catch (DateTimeParseException e) {
      return time;
    }
  }
}
