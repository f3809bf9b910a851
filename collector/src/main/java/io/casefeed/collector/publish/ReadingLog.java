package io.casefeed.collector.publish;

import io.casefeed.schema.SweepRecord;

/**
 * Which accounts casefeed has read completely once, kept outside the instance so that an account
 * moved to another collector is not read as new again.
 */
public interface ReadingLog {

  boolean hasBeenRead(String accountId);

  /** Records the sweep that completed the account's first reading; returns once stored. */
  void markRead(SweepRecord firstCompleteSweep);
}
