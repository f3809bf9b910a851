package io.casefeed.collector.poll;

/**
 * Told of every change a poll found that no event announced (a case created, a communication added,
 * a case resolved or reopened: the changes AWS Support publishes events for). Only consulted while
 * events are on; status moves and severity changes have no event, so they are never "missed".
 */
@FunctionalInterface
public interface MissedEvents {

  /** @param change created, communication, resolved or reopened */
  void missed(String accountId, String caseId, String change);
}
