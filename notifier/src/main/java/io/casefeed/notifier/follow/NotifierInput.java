package io.casefeed.notifier.follow;

import io.casefeed.notifier.resend.FailedMail;
import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.SweepRecord;

/** One decoded record of a topic the notifier follows; a null value is the record's tombstone. */
public sealed interface NotifierInput {

  /** casefeed.cases: a case's latest state; null when it was erased. */
  record CaseUpdate(String key, CaseState state) implements NotifierInput {}

  /** casefeed.accounts: a member account; null when it left. */
  record AccountUpdate(String key, AccountRecord account) implements NotifierInput {}

  /** casefeed.sweeps: one poll of one account. */
  record Sweep(SweepRecord sweep) implements NotifierInput {}

  /** casefeed.case-changes: one change of one case. */
  record Change(CaseChange change) implements NotifierInput {}

  /** casefeed.notifier-resends: a kept failed mail; null once it needs nothing more. */
  record KeptMail(String mailId, FailedMail mail) implements NotifierInput {}
}
