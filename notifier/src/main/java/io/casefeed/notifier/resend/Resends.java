package io.casefeed.notifier.resend;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mails that failed after their retries and how they are sent again: at the next start and then
 * every {@code interval}, up to {@code maxResends} times; after that a mail waits, reported, until
 * it is given up on by an operator ({@code casefeed notifications give-up}). Kept in memory as read
 * from {@code casefeed.notifier-resends} and written through to it, so a restart resumes where the
 * last run stopped. One thread (the notifier's) uses it.
 */
public final class Resends {

  private static final Logger LOG = LoggerFactory.getLogger(Resends.class);

  private final ResendStore store;
  private final Clock clock;
  private final Duration interval;
  private final int maxResends;
  private final Map<String, FailedMail> kept = new HashMap<>();

  /** @param maxResends resends of one mail at most; 0 keeps no failed mail */
  public Resends(ResendStore store, Clock clock, Duration interval, int maxResends) {
    this.store = store;
    this.clock = clock;
    this.interval = interval;
    this.maxResends = maxResends;
  }

  /** Whether failed mails are kept and resent at all. */
  public boolean enabled() {
    return maxResends > 0;
  }

  public int maxResends() {
    return maxResends;
  }

  /** A mail that just failed after its retries ({@link FailedMail#first}): kept, to be resent after {@code interval}. */
  public void keep(FailedMail failed) {
    if (!enabled()) {
      return;
    }
    boolean fits = failed.raw() != null && FailedMailCodec.fits(failed.raw());
    if (!fits) {
      LOG.warn("{} to {} is too big to keep for a resend (over {} bytes gzipped): reported only", failed.kind(), failed.recipient(),
          FailedMailCodec.MAX_KEPT_BYTES);
    }
    put(new FailedMail(failed.mailId(), failed.kind(), failed.group(), failed.recipient(), failed.period(), failed.subject(),
        fits ? failed.raw() : null, failed.failures(), failed.firstFailedAt(), failed.lastFailedAt(), failed.lastError(),
        fits ? failed.lastFailedAt().plus(interval) : null));
  }

  /**
   * The mails to send again now, oldest first: at start every kept one that may still be resent,
   * later those whose time has come.
   */
  public List<FailedMail> due(boolean atStart) {
    Instant now = clock.instant();
    return kept.values().stream()
        .filter(m -> m.resendable() && !m.exhausted() && (atStart || !m.nextAttemptAt().isAfter(now)))
        .sorted(Comparator.comparing(FailedMail::firstFailedAt).thenComparing(FailedMail::mailId))
        .toList();
  }

  /** The resend went through (or nothing more can be done for it): forgotten. */
  public void done(String mailId) {
    if (kept.remove(mailId) != null) {
      store.write(mailId, null);
    }
  }

  /** The resend failed too: tried again after {@code interval}, unless the resends are used up. */
  public FailedMail failedAgain(FailedMail mail, String error) {
    Instant now = clock.instant();
    // failures = 1 (the first send) + resends so far: this was resend number failures().
    boolean more = mail.failures() < maxResends;
    FailedMail next = mail.failedAgain(error, now, more ? now.plus(interval) : null);
    if (!more) {
      LOG.error("{} to {} failed {} times; no more resends: it waits until `casefeed notifications give-up {}`", mail.kind(),
          mail.recipient(), next.failures(), mail.mailId());
    }
    put(next);
    return next;
  }

  /**
   * Takes a record of {@code casefeed.notifier-resends} read back. A tombstone for a mail still kept
   * here was written by someone else, an operator giving up on it: returned, so the ledger can say so.
   * A record older than what is kept (its own write, read back late) changes nothing.
   */
  public Optional<FailedMail> apply(String mailId, FailedMail read) {
    if (read == null) {
      return Optional.ofNullable(kept.remove(mailId));
    }
    FailedMail current = kept.get(mailId);
    if (current == null || read.failures() >= current.failures()) {
      kept.put(mailId, read);
    }
    return Optional.empty();
  }

  /** The kept mails of {@code group} that wait for an operator, oldest first: every digest reports them. */
  public List<FailedMail> waitingForOperator(String group) {
    List<FailedMail> waiting = new ArrayList<>();
    kept.values().stream().filter(m -> m.exhausted() && group.equals(m.group()))
        .sorted(Comparator.comparing(FailedMail::firstFailedAt)).forEach(waiting::add);
    return waiting;
  }

  public Optional<FailedMail> get(String mailId) {
    return Optional.ofNullable(kept.get(mailId));
  }

  public int size() {
    return kept.size();
  }

  private void put(FailedMail mail) {
    kept.put(mail.mailId(), mail);
    store.write(mail.mailId(), mail);
  }
}
