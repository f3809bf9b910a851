package io.casefeed.streams.change;

import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.Communication;
import io.casefeed.schemas.CaseKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Turns an observation of a case into change events and the case's next state: pure, so that a
 * replay of the same observations in the same order makes the same events with the same ids.
 */
public final class ChangeDetector {

  private ChangeDetector() {}

  /**
   * @param previous the case's state so far, or null when it was never seen
   */
  public static Detection detect(CaseState previous, CaseObservation observation) {
    CaseDetails current = observation.getCaseDetails();
    Instant observedAt = observation.getObservedAt();
    if (previous == null) {
      return firstSight(observation);
    }
    if (observedAt.isBefore(previous.getLastObservedAt())) {
      // A late duplicate from a retried poll: the state already moved past it.
      return new Detection(List.of(), previous);
    }
    CaseDetails before = previous.getCaseDetails();
    List<PendingChange> pending = new ArrayList<>();

    boolean wasResolved = CaseStatuses.isResolved(before.getStatus());
    boolean isResolved = CaseStatuses.isResolved(current.getStatus());
    if (!Objects.equals(before.getStatus(), current.getStatus())) {
      ChangeType type = !wasResolved && isResolved ? ChangeType.CASE_RESOLVED
          : wasResolved && !isResolved ? ChangeType.CASE_REOPENED
          : ChangeType.STATUS_CHANGED;
      pending.add(new PendingChange(type, List.of("status"), null));
    }
    if (!Objects.equals(before.getSeverityCode(), current.getSeverityCode())) {
      pending.add(new PendingChange(ChangeType.SEVERITY_CHANGED, List.of("severityCode"), null));
    }
    List<String> fields = changedFields(before, current);
    if (!fields.isEmpty()) {
      pending.add(new PendingChange(ChangeType.FIELDS_CHANGED, fields, null));
    }
    List<Communication> added = Communications.added(before.getRecentCommunications(), current.getRecentCommunications());
    for (Communication communication : added) {
      pending.add(new PendingChange(ChangeType.COMMUNICATION_ADDED, List.of("recentCommunications"), communication));
    }
    if (pending.isEmpty()) {
      return new Detection(List.of(), previous);
    }

    CaseState next = CaseState.newBuilder(previous)
        .setCaseDetails(current)
        .setVersion(previous.getVersion() + pending.size())
        .setLastChangeType(pending.get(pending.size() - 1).type().name())
        .setLastChangedAt(observedAt)
        .setLastObservedAt(observedAt)
        .build();
    Lifecycle.advance(next, before, current, observedAt, added);

    List<CaseChange> changes = new ArrayList<>();
    long version = previous.getVersion();
    for (PendingChange change : pending) {
      version++;
      changes.add(event(change, version, observation, before, previous.getBackfill()));
    }
    return new Detection(changes, next);
  }

  private static Detection firstSight(CaseObservation observation) {
    CaseDetails current = observation.getCaseDetails();
    Instant observedAt = observation.getObservedAt();
    boolean backfill = observation.getFirstReading();
    CaseState state = CaseState.newBuilder()
        .setAccountId(observation.getAccountId())
        .setCaseDetails(current)
        .setVersion(1)
        .setLastChangeType(ChangeType.CASE_OPENED.name())
        .setBackfill(backfill)
        .setFirstSeenAt(observedAt)
        .setLastChangedAt(observedAt)
        .setLastObservedAt(observedAt)
        .build();
    Lifecycle.advance(state, null, current, observedAt, current.getRecentCommunications());
    CaseChange opened = event(new PendingChange(ChangeType.CASE_OPENED, List.of(), null), 1, observation, null, backfill);
    return new Detection(List.of(opened), state);
  }

  /** The fields besides status, severity and communications whose change a user cares about. */
  static List<String> changedFields(CaseDetails before, CaseDetails current) {
    List<String> fields = new ArrayList<>();
    if (!Objects.equals(before.getSubject(), current.getSubject())) {
      fields.add("subject");
    }
    if (!Objects.equals(before.getServiceCode(), current.getServiceCode())) {
      fields.add("serviceCode");
    }
    if (!Objects.equals(before.getCategoryCode(), current.getCategoryCode())) {
      fields.add("categoryCode");
    }
    // AWS does not promise an order for the cc list.
    if (!new TreeSet<>(before.getCcEmailAddresses()).equals(new TreeSet<>(current.getCcEmailAddresses()))) {
      fields.add("ccEmailAddresses");
    }
    return fields;
  }

  private static CaseChange event(PendingChange change, long version, CaseObservation observation, CaseDetails previous, boolean backfill) {
    CaseDetails current = observation.getCaseDetails();
    String key = CaseKeys.of(observation.getAccountId(), current.getCaseId());
    return CaseChange.newBuilder()
        .setEventId(eventId(key, version, change.type()))
        .setAccountId(observation.getAccountId())
        .setCaseId(current.getCaseId())
        .setChangeType(change.type().name())
        .setChangedFields(change.fields())
        .setCommunicationAuthor(change.communication() == null ? null : Communications.author(change.communication()))
        .setVersion(version)
        .setObservedAt(observation.getObservedAt())
        .setBackfill(backfill)
        .setPrevious(previous)
        .setCurrent(current)
        .build();
  }

  /** The same case, version and type always give the same id, so a replay is recognisable downstream. */
  public static String eventId(String caseKey, long version, ChangeType type) {
    return UUID.nameUUIDFromBytes((caseKey + "|" + version + "|" + type.name()).getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** Milliseconds between two instants, or null when either is unknown. */
  static Long between(Instant from, Instant to) {
    return from == null || to == null ? null : Duration.between(from, to).toMillis();
  }

  private record PendingChange(ChangeType type, List<String> fields, Communication communication) {}
}
