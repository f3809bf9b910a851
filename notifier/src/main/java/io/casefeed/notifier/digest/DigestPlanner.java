package io.casefeed.notifier.digest;

import io.casefeed.notifier.schedule.DigestSchedule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which digest periods are owed and when, from the schedule and what the ledger recorded; pure and
 * driven by the {@code now} it is given, so the plan can be tested without a clock or a broker. The
 * caller reads the ledger and sends; this class only decides.
 */
public final class DigestPlanner {

  private final DigestSchedule schedule;
  private final boolean onFirstStart;
  private Instant next;

  /** @param onFirstStart whether a first start ever (nothing recorded, no watermark) sends the latest period */
  public DigestPlanner(DigestSchedule schedule, boolean onFirstStart) {
    this.schedule = schedule;
    this.onFirstStart = onFirstStart;
  }

  /**
   * Where the change feed must be read from at start so that every digest {@link #recovery} may send
   * is complete: the start of the last digest begun, or else of the period before the latest fire.
   *
   * @param lastDigest the latest digest period recorded in the ledger
   * @param recordedBeforeLast the latest digest period recorded before {@code lastDigest}
   */
  public Instant changesFrom(Optional<Instant> lastDigest, Optional<Instant> recordedBeforeLast, Instant now) {
    if (lastDigest.isPresent()) {
      return recordedBeforeLast.orElse(schedule.latestFireAtOrBefore(lastDigest.get().minusMillis(1)));
    }
    return schedule.latestFireAtOrBefore(schedule.latestFireAtOrBefore(now).minusMillis(1));
  }

  /**
   * The periods to send at start, in order, and plans the next one after {@code now}: the last digest
   * begun before a restart is finished, then the one missed while down is sent (once). With no digest
   * recorded yet, {@code ranBefore} (the alert watermark) tells that the notifier ran before and when:
   * a schedule fire after it was missed.
   */
  public List<Instant> recovery(Optional<Instant> lastDigest, Optional<Instant> ranBefore, Instant now) {
    Instant latestFire = schedule.latestFireAtOrBefore(now);
    List<Instant> owed = new ArrayList<>();
    if (lastDigest.isPresent()) {
      owed.add(lastDigest.get());
      if (latestFire.isAfter(lastDigest.get())) {
        owed.add(latestFire);
      }
    } else if (ranBefore.isPresent() ? latestFire.isAfter(ranBefore.get()) : onFirstStart) {
      owed.add(latestFire);
    }
    next = schedule.nextFireAfter(now);
    return owed;
  }

  /**
   * The period due at {@code now}, if any; taking it plans the next fire (after {@code now} when the
   * loop was late, so fires missed while busy are not sent one after another).
   */
  public Optional<Instant> takeDue(Instant now) {
    if (next == null) {
      throw new IllegalStateException("recovery() plans the first digest");
    }
    if (now.isBefore(next)) {
      return Optional.empty();
    }
    Instant period = next;
    next = schedule.nextFireAfter(now.isAfter(period) ? now : period);
    return Optional.of(period);
  }

  /** The next digest planned, or null before {@link #recovery}. */
  public Instant next() {
    return next;
  }

  /**
   * Where the digest of {@code period} starts: the period recorded before it, or else the schedule's
   * fire before it (so the first digest covers one period).
   */
  public Instant periodStart(Optional<Instant> recordedBefore, Instant period) {
    return recordedBefore.orElse(schedule.latestFireAtOrBefore(period.minusMillis(1)));
  }
}
