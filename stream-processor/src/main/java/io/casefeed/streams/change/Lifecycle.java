package io.casefeed.streams.change;

import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.Communication;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The lifecycle fields AWS does not give, derived from what casefeed saw and when. */
final class Lifecycle {

  private Lifecycle() {}

  /**
   * Updates {@code state}'s derived fields for a move from {@code before} (null on first sight) to
   * {@code current}, observed at {@code observedAt}, with {@code newCommunications} seen for the first time.
   */
  static void advance(CaseState state, CaseDetails before, CaseDetails current, Instant observedAt, List<Communication> newCommunications) {
    boolean wasResolved = before != null && CaseStatuses.isResolved(before.getStatus());
    boolean isResolved = CaseStatuses.isResolved(current.getStatus());
    if (isResolved && before == null) {
      state.setResolvedAt(resolvedBeforeFirstSight(current, observedAt));
    } else if (isResolved && !wasResolved) {
      state.setResolvedAt(observedAt);
    } else if (!isResolved && wasResolved) {
      state.setResolvedAt(null);
      state.setReopenCount(state.getReopenCount() + 1);
    }
    Instant caseCreated = current.getTimeCreatedAt() != null ? current.getTimeCreatedAt() : state.getFirstSeenAt();
    state.setTimeToResolveMs(state.getResolvedAt() == null ? null : ChangeDetector.between(caseCreated, state.getResolvedAt()));

    for (Communication communication : newCommunications) {
      Instant written = communication.getTimeCreatedAt() != null ? communication.getTimeCreatedAt() : observedAt;
      if (Communications.writtenByAws(communication)) {
        if (state.getFirstAwsResponseAt() == null || written.isBefore(state.getFirstAwsResponseAt())) {
          state.setFirstAwsResponseAt(written);
        }
      } else if (state.getLastCustomerActionAt() == null || written.isAfter(state.getLastCustomerActionAt())) {
        state.setLastCustomerActionAt(written);
      }
    }
    state.setTimeToFirstAwsResponseMs(ChangeDetector.between(current.getTimeCreatedAt(), state.getFirstAwsResponseAt()));

    boolean statusMoved = before == null || !Objects.equals(before.getStatus(), current.getStatus());
    if (statusMoved && CaseStatuses.is(current.getStatus(), CaseStatuses.CUSTOMER_ACTION_COMPLETED)
        && (state.getLastCustomerActionAt() == null || observedAt.isAfter(state.getLastCustomerActionAt()))) {
      state.setLastCustomerActionAt(observedAt);
    }
    if (!CaseStatuses.is(current.getStatus(), CaseStatuses.PENDING_CUSTOMER_ACTION)) {
      state.setWaitingOnCustomerSince(null);
    } else if (state.getWaitingOnCustomerSince() == null) {
      state.setWaitingOnCustomerSince(observedAt);
    }
  }

  /**
   * AWS gives no resolution time. A case first seen already resolved was resolved before casefeed looked and
   * no earlier than its newest communication: that bound is the closest we have, and for a case resolved months
   * before casefeed started it is far nearer the truth than the moment of sight (which would put every old
   * resolution on the first day of the feed).
   */
  private static Instant resolvedBeforeFirstSight(CaseDetails current, Instant observedAt) {
    Instant newest = null;
    for (Communication communication : current.getRecentCommunications()) {
      Instant written = communication.getTimeCreatedAt();
      if (written != null && !written.isAfter(observedAt) && (newest == null || written.isAfter(newest))) {
        newest = written;
      }
    }
    return newest == null ? observedAt : newest;
  }
}
