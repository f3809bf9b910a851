package io.casefeed.notifier.delivery;

import io.casefeed.schema.NotificationRecord;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The latest record of every mail id, as read from the notifications topic at start and written since. */
public final class NotificationLedger {

  public static final String INTENDED = "intended";
  public static final String SENT = "sent";
  public static final String REJECTED = "rejected";
  public static final String FAILED = "failed";
  /** A failed mail an operator gave up on ({@code casefeed notifications give-up}): never sent again. */
  public static final String GIVEN_UP = "given-up";
  private static final Set<String> COMPLETED = Set.of(SENT, REJECTED, FAILED, GIVEN_UP);

  private final Map<String, NotificationRecord> latest = new HashMap<>();

  public void apply(String mailId, NotificationRecord record) {
    if (record == null) {
      latest.remove(mailId);
    } else {
      latest.put(mailId, record);
    }
  }

  public boolean isCompleted(String mailId) {
    NotificationRecord record = latest.get(mailId);
    return record != null && COMPLETED.contains(record.getStage());
  }

  public boolean isIntended(String mailId) {
    NotificationRecord record = latest.get(mailId);
    return record != null && INTENDED.equals(record.getStage());
  }

  public Optional<NotificationRecord> record(String mailId) {
    return Optional.ofNullable(latest.get(mailId));
  }

  public Collection<NotificationRecord> records() {
    return latest.values();
  }

  /** The latest digest period any record names: the last digest the notifier started. */
  public Optional<Instant> latestDigestPeriod() {
    return periods(OutgoingMail.DIGEST).reduce((a, b) -> a.isAfter(b) ? a : b);
  }

  /** The latest digest period before {@code period} that any record names. */
  public Optional<Instant> latestDigestPeriodBefore(Instant period) {
    return periods(OutgoingMail.DIGEST).filter(p -> p.isBefore(period)).reduce((a, b) -> a.isAfter(b) ? a : b);
  }

  /** Alert windows with a mail intended but not completed: a restart finishes them. */
  public Set<Instant> unfinishedAlertWindows() {
    return unfinishedAlertWindows(id -> false);
  }

  /** The same, leaving out the mails {@code finishedElsewhere} names (a kept failed mail is resent, not rebuilt). */
  public Set<Instant> unfinishedAlertWindows(java.util.function.Predicate<String> finishedElsewhere) {
    Set<Instant> windows = new java.util.TreeSet<>();
    latest.values().stream()
        .filter(r -> OutgoingMail.ALERT.equals(r.getKind()) && INTENDED.equals(r.getStage()))
        .filter(r -> !finishedElsewhere.test(r.getMailId().toString()))
        .forEach(r -> windows.add(Instant.parse(r.getPeriod())));
    return windows;
  }

  /**
   * The group's mails and posts that ended rejected or failed in {@code (from, to]}, oldest first: what
   * the next digest reports as not delivered.
   */
  public List<NotificationRecord> undeliveredBetween(String group, Instant from, Instant to) {
    return latest.values().stream()
        .filter(r -> group.equals(r.getRecipientGroup()))
        .filter(r -> REJECTED.equals(r.getStage()) || FAILED.equals(r.getStage()))
        .filter(r -> r.getRecordedAt().isAfter(from) && !r.getRecordedAt().isAfter(to))
        .sorted(java.util.Comparator.comparing(NotificationRecord::getRecordedAt))
        .toList();
  }

  public boolean isEmpty() {
    return latest.isEmpty();
  }

  private java.util.stream.Stream<Instant> periods(String kind) {
    return latest.values().stream().filter(r -> kind.equals(r.getKind())).map(r -> Instant.parse(r.getPeriod()));
  }
}
