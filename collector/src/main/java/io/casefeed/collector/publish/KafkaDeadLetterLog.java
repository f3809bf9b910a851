package io.casefeed.collector.publish;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The dead-letter log kept in a compacted topic of the collector, {@code casefeed.collector-dead-lettered}:
 * one record per unreadable Support item (per version of it) whose dead letter was stored. Read whole
 * at start and whenever this instance is given other accounts, like {@link KafkaReadingLog}, so an
 * unchanged item is not dead-lettered again after a restart or by the account's next instance.
 *
 * <p>Key: {@code <accountId>:<caseId>:<sha256 of the item's JSON, hex>}. Value: when the dead letter
 * was stored, as ISO-8601 UTC text (for example {@code 2026-11-27T02:00:00Z}), not Avro like casefeed's
 * other topics. The record exists only for its key; the time only orders the keys of one account when
 * more than the capacity remain. No other component reads this internal topic, so a schema would add a
 * registry subject, a released copy and compatibility checks for one timestamp; and the value holds
 * nothing of the case (the item itself is on casefeed.dead-letter, with its 30 days' retention).
 *
 * <p>Bounded like the poller's memory: per account the {@code capacity} most recently stored keys are
 * kept; an older one is tombstoned when a newer one pushes it out, so the topic stays as small as the
 * memory. Such an item, seen again after a restart, is dead-lettered once more.
 */
public final class KafkaDeadLetterLog implements DeadLetterLog {

  /** As many keys per account as the poller remembers in process. */
  public static final int DEFAULT_CAPACITY = 1024;

  private final Map<String, Object> kafkaSettings;
  private final String topic;
  private final KafkaPublisher publisher;
  private final int capacity;
  /** Per account: key to when its dead letter was stored, oldest first. Guarded by itself. */
  private final Map<String, LinkedHashMap<String, Instant>> byAccount = new HashMap<>();

  public KafkaDeadLetterLog(Map<String, Object> kafkaSettings, String topic, KafkaPublisher publisher, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.kafkaSettings = kafkaSettings;
    this.topic = topic;
    this.publisher = publisher;
    this.capacity = capacity;
  }

  /**
   * Re-reads the topic and merges it with what this instance stored meanwhile; called at start and
   * whenever this instance is given other accounts (another instance may have stored their keys).
   */
  public void reload() {
    Map<String, byte[]> table = CompactedTopicReader.readAll(kafkaSettings, topic, Duration.ofSeconds(60));
    List<String> dropped = new ArrayList<>();
    synchronized (byAccount) {
      Map<String, Map<String, Instant>> merged = new HashMap<>();
      byAccount.forEach((account, keys) -> merged.put(account, new HashMap<>(keys)));
      table.forEach((key, value) -> {
        String account = accountOf(key);
        if (account != null) {
          merged.computeIfAbsent(account, a -> new HashMap<>()).merge(key, time(value), (a, b) -> a.isAfter(b) ? a : b);
        }
      });
      byAccount.clear();
      merged.forEach((account, keys) -> {
        List<Map.Entry<String, Instant>> ordered = new ArrayList<>(keys.entrySet());
        ordered.sort(Map.Entry.<String, Instant>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
        LinkedHashMap<String, Instant> kept = new LinkedHashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
          Map.Entry<String, Instant> entry = ordered.get(i);
          if (i < ordered.size() - capacity) {
            dropped.add(entry.getKey());
          } else {
            kept.put(entry.getKey(), entry.getValue());
          }
        }
        byAccount.put(account, kept);
      });
    }
    dropped.forEach(this::tombstone);
  }

  @Override
  public boolean wasStored(String accountId, String key) {
    synchronized (byAccount) {
      Map<String, Instant> keys = byAccount.get(accountId);
      return keys != null && keys.containsKey(key);
    }
  }

  @Override
  public void stored(String accountId, String key, Instant deadLetteredAt) {
    List<String> dropped = new ArrayList<>();
    synchronized (byAccount) {
      LinkedHashMap<String, Instant> keys = byAccount.computeIfAbsent(accountId, a -> new LinkedHashMap<>());
      keys.remove(key);
      keys.put(key, deadLetteredAt);
      var eldest = keys.keySet().iterator();
      while (keys.size() > capacity) {
        dropped.add(eldest.next());
        eldest.remove();
      }
    }
    // Not waited for: a key that is not stored costs one repeat after the next restart, no more.
    publisher.send(new ProducerRecord<>(topic, null, deadLetteredAt.toEpochMilli(), key,
        deadLetteredAt.toString().getBytes(StandardCharsets.UTF_8)));
    dropped.forEach(this::tombstone);
  }

  /** How many keys are remembered, over all accounts. */
  public int size() {
    synchronized (byAccount) {
      return byAccount.values().stream().mapToInt(Map::size).sum();
    }
  }

  private void tombstone(String key) {
    publisher.send(new ProducerRecord<>(topic, key, null));
  }

  /** The account of a key; null for a key that is not of this log's form (then it is ignored). */
  static String accountOf(String key) {
    int colon = key.indexOf(':');
    return colon > 0 ? key.substring(0, colon) : null;
  }

  /** A value that is not a time still marks its key as stored; it sorts first, so it goes first. */
  private static Instant time(byte[] value) {
    try {
      return Instant.parse(new String(value, StandardCharsets.UTF_8));
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }
}
