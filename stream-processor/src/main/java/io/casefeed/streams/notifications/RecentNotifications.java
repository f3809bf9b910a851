package io.casefeed.streams.notifications;

import io.casefeed.schema.NotificationRecord;
import io.casefeed.schemas.privacy.PersonalData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the dashboard shows of the notifier's ledger ({@code casefeed.notifications}): per channel
 * target, the last few notifications, how many ended each way, and whether the target refuses
 * (its latest completed notification was rejected, as a revoked webhook or an unknown channel is).
 * Built from the ledger's records in any order a compacted topic gives them; the latest record of an
 * id replaces the one before, a tombstone removes it. Subjects are never kept: they may name a case,
 * and an erased case must not stay here. Thread-safe: one reader applies, any thread reads.
 */
public final class RecentNotifications {

  /** The ledger's stages, as the notifier writes them. */
  static final String INTENDED = "intended";
  static final String SENT = "sent";
  static final String REJECTED = "rejected";
  static final String FAILED = "failed";

  /** One notification as the dashboard lists it. */
  public record Entry(String kind, String group, String period, String stage, Instant at, String error) {}

  /**
   * One target: mail recipients are channel {@code email}, posts are named by the ledger as
   * {@code <channel>:<name>}.
   *
   * @param refusing its latest completed notification was rejected: nothing reaches it until someone fixes it
   */
  public record Target(String channel, String target, Map<String, Integer> stages, boolean refusing, String lastError,
      Instant lastErrorAt, List<Entry> recent) {}

  private static final List<String> CHANNEL_PREFIXES = List.of("slack", "teams", "sns", "webhook");

  private final int recentPerTarget;
  /** Every id's latest record, for counts and for the latest completion per target. */
  private final Map<String, NotificationRecord> latest = new HashMap<>();
  /** Per target, the ids of its newest notifications. */
  private final Map<String, NavigableSet<Recent>> recent = new HashMap<>();

  private record Recent(Instant at, String id) implements Comparable<Recent> {
    @Override
    public int compareTo(Recent other) {
      int byTime = at.compareTo(other.at);
      return byTime != 0 ? byTime : id.compareTo(other.id);
    }
  }

  public RecentNotifications(int recentPerTarget) {
    if (recentPerTarget < 1) {
      throw new IllegalArgumentException("recentPerTarget must be at least 1, not " + recentPerTarget);
    }
    this.recentPerTarget = recentPerTarget;
  }

  /** Takes one ledger record of {@code id}; null is a tombstone. */
  public synchronized void apply(String id, NotificationRecord record) {
    NotificationRecord before = record == null ? latest.remove(id) : latest.put(id, strip(record));
    if (before != null) {
      NavigableSet<Recent> kept = recent.get(String.valueOf(before.getRecipient()));
      if (kept != null) {
        kept.remove(new Recent(before.getRecordedAt(), id));
      }
    }
    if (record == null) {
      return;
    }
    // By the record's time, not by arrival: a compacted topic's partitions are read in no common order.
    NavigableSet<Recent> kept = recent.computeIfAbsent(String.valueOf(record.getRecipient()), r -> new TreeSet<>());
    kept.add(new Recent(record.getRecordedAt(), id));
    while (kept.size() > recentPerTarget) {
      kept.pollFirst();
    }
  }

  /** Every target, refusing ones first, then by channel and name; addresses as {@code privacy} lets them out. */
  public synchronized List<Target> targets(PersonalData privacy) {
    Map<String, List<NotificationRecord>> byRecipient = new TreeMap<>();
    latest.values().forEach(r -> byRecipient.computeIfAbsent(String.valueOf(r.getRecipient()), k -> new ArrayList<>()).add(r));
    List<Target> targets = new ArrayList<>();
    byRecipient.forEach((recipient, records) -> targets.add(target(recipient, records, privacy)));
    targets.sort(Comparator.comparing((Target t) -> !t.refusing()).thenComparing(Target::channel).thenComparing(Target::target));
    return targets;
  }

  private Target target(String recipient, List<NotificationRecord> records, PersonalData privacy) {
    String channel = channelOf(recipient);
    boolean email = channel.equals("email");
    String shown = email ? privacy.emailAddress(recipient) : recipient;
    Map<String, Integer> stages = new TreeMap<>();
    records.forEach(r -> stages.merge(String.valueOf(r.getStage()), 1, Integer::sum));
    NotificationRecord lastCompleted = records.stream().filter(r -> !INTENDED.equals(String.valueOf(r.getStage())))
        .max(Comparator.comparing(NotificationRecord::getRecordedAt)).orElse(null);
    NotificationRecord lastError = records.stream().filter(r -> r.getError() != null)
        .max(Comparator.comparing(NotificationRecord::getRecordedAt)).orElse(null);
    List<Entry> newest = recent.getOrDefault(recipient, new TreeSet<>()).descendingSet().stream().map(r -> latest.get(r.id()))
        .map(r -> new Entry(String.valueOf(r.getKind()), String.valueOf(r.getRecipientGroup()), String.valueOf(r.getPeriod()),
            String.valueOf(r.getStage()), r.getRecordedAt(), error(r, recipient, shown)))
        .toList();
    return new Target(channel, shown, stages, lastCompleted != null && REJECTED.equals(String.valueOf(lastCompleted.getStage())),
        lastError == null ? null : error(lastError, recipient, shown), lastError == null ? null : lastError.getRecordedAt(), newest);
  }

  /** A mail's error may quote its address (SES: "Email address is not verified: …"): shown as the address is. */
  private static String error(NotificationRecord record, String recipient, String shown) {
    if (record.getError() == null) {
      return null;
    }
    String error = record.getError().toString();
    return recipient.equals(shown) ? error : error.replace(recipient, shown);
  }

  /** {@code slack:oncall} is channel slack; an e-mail address is channel email. */
  static String channelOf(String recipient) {
    int colon = recipient.indexOf(':');
    if (colon > 0 && !recipient.contains("@")) {
      String prefix = recipient.substring(0, colon);
      if (CHANNEL_PREFIXES.contains(prefix)) {
        return prefix;
      }
    }
    return "email";
  }

  /** Kept without the subject: it may name a case (an erased one, even). */
  private static NotificationRecord strip(NotificationRecord record) {
    return record.getSubject() == null ? record : NotificationRecord.newBuilder(record).setSubject(null).build();
  }
}
