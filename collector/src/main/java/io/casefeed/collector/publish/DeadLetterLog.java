package io.casefeed.collector.publish;

import java.time.Instant;

/**
 * Which unreadable Support items have their dead letter stored, kept outside the instance, so that an
 * item AWS keeps returning unchanged is not dead-lettered again after a restart or when its account
 * moves to another collector instance. Keys are those of the poller's memory
 * ({@code <accountId>:<caseId>:<sha256 of the item's JSON>}); this log does not make them.
 */
public interface DeadLetterLog {

  /** Remembers nothing: each process dead-letters every unreadable item once (tests, one-off runs). */
  DeadLetterLog NONE = new DeadLetterLog() {
    @Override
    public boolean wasStored(String accountId, String key) {
      return false;
    }

    @Override
    public void stored(String accountId, String key, Instant deadLetteredAt) {
      // Nothing kept.
    }
  };

  /** Whether the dead letter of the item with this key was stored before, as far as this instance knows. */
  boolean wasStored(String accountId, String key);

  /**
   * The item's dead letter was stored (Kafka acknowledged it): remembers its key. Called only then,
   * so a crash in between repeats the dead letter once rather than losing it. Does not wait for the
   * key to be stored; if it is not, the item is dead-lettered once more after the next restart.
   */
  void stored(String accountId, String key, Instant deadLetteredAt);
}
