package io.casefeed.streams.change;

/** What a {@code CaseChange} says happened to a case. */
public enum ChangeType {
  CASE_OPENED,
  STATUS_CHANGED,
  SEVERITY_CHANGED,
  COMMUNICATION_ADDED,
  CASE_RESOLVED,
  CASE_REOPENED,
  FIELDS_CHANGED
}
