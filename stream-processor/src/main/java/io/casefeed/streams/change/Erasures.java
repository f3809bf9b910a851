package io.casefeed.streams.change;

import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.Communication;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What casefeed may keep of a case observed again after its personal data was erased
 * ({@code casefeed erase}). The erasure covers everything the case held before the erase time:
 * the subject and the submitter are the case's own (AWS never changes them), so they stay
 * {@link #ERASED} for good; the cc list is dropped; communications written before the erase
 * (or whose time cannot be read) are dropped. Status, severity, service, times and communications
 * written after the erase are kept, so the case is still followed and counted. Pure, so a replay
 * gives the same result.
 */
public final class Erasures {

  /** The value written in place of an erased field, everywhere casefeed writes one. */
  public static final String ERASED = "[erased]";

  private Erasures() {}

  /**
   * @return true when the observation was read before (or at) the erase: it holds the erased data
   *     and must be dropped, e.g. an in-flight poll or a replay of casefeed.case-observations
   */
  public static boolean predates(CaseObservation observation, Instant erasedAt) {
    return !observation.getObservedAt().isAfter(erasedAt);
  }

  /** The observation without the personal data the erase at {@code erasedAt} covers. */
  public static CaseObservation scrub(CaseObservation observation, Instant erasedAt) {
    CaseDetails details = observation.getCaseDetails();
    List<Communication> kept = new ArrayList<>();
    for (Communication communication : details.getRecentCommunications()) {
      Instant written = communication.getTimeCreatedAt();
      if (written != null && written.isAfter(erasedAt)) {
        kept.add(communication);
      }
    }
    CaseDetails scrubbed = CaseDetails.newBuilder(details)
        .setSubject(details.getSubject() == null ? null : ERASED)
        .setSubmittedBy(details.getSubmittedBy() == null ? null : ERASED)
        .setCcEmailAddresses(new ArrayList<>())
        .setRecentCommunications(kept)
        .build();
    return CaseObservation.newBuilder(observation).setCaseDetails(scrubbed).build();
  }
}
