package io.casefeed.collector.poll;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which accounts' events have stopped. With events on an account's fast poll is slow, so an account
 * whose events no longer arrive (its EventBridge rule deleted, its forwarding broken) would learn of its
 * changes a whole slow interval late. When the polls find {@code missedChanges} changes within
 * {@code window} that no event announced, the account falls back to the plain fast interval, and stays
 * there until an event is seen for it again.
 */
public final class EventFallback implements EventsCoverage {

  private static final Logger LOG = LoggerFactory.getLogger(EventFallback.class);

  private final int missedChanges;
  private final Duration window;
  private final Clock clock;
  /** Per account, when the polls found its recent unannounced changes, oldest first. */
  private final Map<String, Deque<Instant>> missed = new ConcurrentHashMap<>();
  private final Set<String> fallenBack = ConcurrentHashMap.newKeySet();

  public EventFallback(int missedChanges, Duration window, Clock clock) {
    if (missedChanges < 1) {
      throw new IllegalArgumentException("missedChanges must be at least 1, was " + missedChanges);
    }
    this.missedChanges = missedChanges;
    this.window = window;
    this.clock = clock;
  }

  /** A poll found a change of the account that no event announced. */
  public void missed(String accountId) {
    Instant now = clock.instant();
    Deque<Instant> times = missed.computeIfAbsent(accountId, a -> new ArrayDeque<>());
    synchronized (times) {
      times.addLast(now);
      Instant forgetBefore = now.minus(window);
      while (!times.isEmpty() && times.peekFirst().isBefore(forgetBefore)) {
        times.removeFirst();
      }
      if (times.size() >= missedChanges && fallenBack.add(accountId)) {
        LOG.warn("account {}: {} changes within {} announced by no event; its events seem to have stopped, "
            + "so it is polled at the plain fast interval until an event is seen for it", accountId, times.size(), window);
      }
    }
  }

  @Override
  public String of(String accountId) {
    return fallenBack(accountId) ? FALLEN_BACK : FLOWING;
  }

  /** An event was seen for the account: its events flow, its polls are the net again. */
  public void eventSeen(String accountId) {
    Deque<Instant> times = missed.get(accountId);
    if (times != null) {
      synchronized (times) {
        times.clear();
      }
    }
    if (fallenBack.remove(accountId)) {
      LOG.info("account {}: an event was seen again, its fast poll slows down to the events interval", accountId);
    }
  }

  public boolean fallenBack(String accountId) {
    return fallenBack.contains(accountId);
  }

  /** How many accounts are polled at the plain fast interval because their events stopped. */
  public int fallenBackCount() {
    return fallenBack.size();
  }
}
