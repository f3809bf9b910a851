package io.casefeed.collector.poll;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The unreadable Support items already sent to the dead-letter topic, so that an item AWS keeps
 * returning unchanged is dead-lettered once instead of on every poll. An entry is keyed by account,
 * caseId and a SHA-256 fingerprint of the item's JSON: an item that changes (a new communication, a
 * fixed field) has a new fingerprint and is dead-lettered again, as a person may need to see it.
 *
 * <p>Kept in memory only and bounded (least recently seen entries go first): after a restart, or
 * once more than {@code capacity} distinct unreadable items of one account were seen, an item is
 * dead-lettered one more time. One repeat per restart is accepted in exchange for not keeping
 * another compacted topic; a repeat loses nothing, it is a duplicate a person may skip.
 *
 * <p>Entries are added when the dead letter is sent and removed again if storing it fails, from the
 * producer's thread: the methods are synchronized.
 */
final class DeadLetteredItems {

  static final int DEFAULT_CAPACITY = 1024;

  private final int capacity;
  private final Map<String, Boolean> keys;

  DeadLetteredItems(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
    this.keys = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > DeadLetteredItems.this.capacity;
      }
    };
  }

  /** The key of one item; a blank or missing caseId is one key space of its own, told apart by content. */
  static String key(String accountId, String caseId, String itemJson) {
    return accountId + '\u0000' + (caseId == null ? "" : caseId.strip()) + '\u0000' + fingerprint(itemJson);
  }

  /** @return true when the key was not remembered yet (the item must be dead-lettered), and remembers it */
  synchronized boolean firstSighting(String key) {
    return keys.put(key, Boolean.TRUE) == null;
  }

  /** The dead letter was not stored: the next sighting must send it again. */
  synchronized void forget(String key) {
    keys.remove(key);
  }

  synchronized int size() {
    return keys.size();
  }

  private static String fingerprint(String itemJson) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(itemJson.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
