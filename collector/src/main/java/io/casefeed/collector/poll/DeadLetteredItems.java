package io.casefeed.collector.poll;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The unreadable Support items of one account already sent to the dead-letter topic, as this process
 * knows them, so that an item AWS keeps returning unchanged is dead-lettered once instead of on every
 * poll. An entry is keyed by account, caseId and a SHA-256 fingerprint of the item's JSON: an item
 * that changes (a new communication, a fixed field) has a new fingerprint and is dead-lettered again,
 * as a person may need to see it.
 *
 * <p>This is the in-process part of the memory, bounded (least recently seen entries go first). What
 * was dead-lettered before a restart, or by another instance before the account moved here, is in the
 * collector's compacted topic {@code casefeed.collector-dead-lettered}; {@link AccountPoller} asks that
 * log ({@code DeadLetterLog}) whenever a key is not known here, and an answer of yes is remembered here
 * too. So an item is dead-lettered again only when neither knows it: once more than {@code capacity}
 * distinct unreadable items of one account were seen here and the log dropped it as well, or when the
 * process stopped between storing the dead letter and its key. A repeat loses nothing, it is a
 * duplicate a person may skip.
 *
 * <p>Entries are added when the dead letter is sent and removed again if storing it fails, from the
 * producer's thread: the methods are synchronized.
 */
final class DeadLetteredItems {

  static final int DEFAULT_CAPACITY = 1024;
  /** Keys stay short whatever caseId an unreadable item carries; the fingerprint tells items apart. */
  static final int MAX_CASE_ID_CHARS = 200;

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

  /**
   * The key of one item, {@code <accountId>:<caseId>:<sha256 of the item's JSON, hex>}: printable, as
   * it is also the key of a record on the collector's compacted topic. A blank or missing caseId is
   * one key space of its own, told apart by content. The caseId is only there for a person reading
   * the topic; the fingerprint covers the whole item (caseId included), so control characters in it
   * can be replaced and a long one cut without two items sharing a key.
   */
  static String key(String accountId, String caseId, String itemJson) {
    return accountId + ':' + printable(caseId) + ':' + fingerprint(itemJson);
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

  private static String printable(String caseId) {
    if (caseId == null) {
      return "";
    }
    String stripped = caseId.strip();
    StringBuilder out = new StringBuilder(Math.min(stripped.length(), MAX_CASE_ID_CHARS));
    stripped.codePoints().limit(MAX_CASE_ID_CHARS)
        .forEach(c -> out.appendCodePoint(Character.isISOControl(c) || !Character.isDefined(c) ? '?' : c));
    return out.toString();
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
