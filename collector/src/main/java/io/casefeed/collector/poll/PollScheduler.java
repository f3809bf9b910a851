package io.casefeed.collector.poll;

import io.casefeed.collector.metrics.CollectorMetrics;
import io.casefeed.collector.publish.ReadingLog;
import io.casefeed.common.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the accounts this instance owns on their intervals with a bounded pool. An account is never
 * polled twice at once: a poll still running when the next is due is reported as an overrun and the
 * next one waits, never stacks. The first poll of an account that casefeed has not read completely
 * is a sweep, repeated until it succeeds.
 *
 * <p>With events on, the cases that AWS Support events announce are re-read at once, in a read of
 * their own ({@link PollKind#EVENT}) that takes the account's turn like a poll, so an account is
 * still read by one thread at a time. Events for one case within the coalescing window become one
 * read, and an event id seen lately (EventBridge and SQS deliver at least once) makes no read at all.
 */
public final class PollScheduler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PollScheduler.class);
  /**
   * How long an event id is remembered. A repeat comes from EventBridge within seconds, or from SQS
   * after a visibility timeout (120 s by default) when a hand-off failed; this covers both with room.
   */
  static final Duration EVENT_ID_MEMORY = Duration.ofMinutes(15);
  /** How often {@link #release} looks whether a released account's poll has stopped. */
  static final Duration RELEASE_CHECK = Duration.ofMillis(10);

  private final AccountPoller poller;
  private final ReadingLog readings;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration fastInterval;
  /** The fast interval of an account whose events stopped; equal to fastInterval while events are off. */
  private volatile Duration fallbackInterval;
  /** Which accounts' events stopped; null while events are off. */
  private volatile EventFallback fallback;
  private final Duration sweepInterval;
  private final Duration coalesce;
  private final CollectorMetrics metrics;
  private final ExecutorService pool;
  private final ScheduledExecutorService ticker;
  private final Map<String, Scheduled> accounts = new ConcurrentHashMap<>();
  private final Map<String, AccountState> states = new ConcurrentHashMap<>();

  private static final class Scheduled {
    final AccountState state;
    /** Guarded by this: a poll starts only while owned, and release waits while one is active. */
    boolean owned = true;
    volatile boolean active;
    volatile Future<?> running;
    volatile Instant nextPoll;
    volatile Instant nextSweep;
    volatile boolean swept;
    volatile boolean overrunReported;

    Scheduled(AccountState state, Instant now) {
      this.state = state;
      this.nextPoll = now;
      this.nextSweep = now;
    }
  }

  public PollScheduler(AccountPoller poller, ReadingLog readings, Clock clock, Duration fastInterval, Duration sweepInterval,
      int threads, CollectorMetrics metrics) {
    this(poller, readings, clock, fastInterval, sweepInterval, Duration.ZERO, threads, metrics);
  }

  /** @param coalesce how long an announced case waits for more events about it before it is read */
  public PollScheduler(AccountPoller poller, ReadingLog readings, Clock clock, Duration fastInterval, Duration sweepInterval,
      Duration coalesce, int threads, CollectorMetrics metrics) {
    this(poller, readings, clock, Sleeper.SYSTEM, fastInterval, sweepInterval, coalesce, threads, metrics);
  }

  /** @param sleeper how {@link #release} waits for a poll still running (the other half of the time seam) */
  public PollScheduler(AccountPoller poller, ReadingLog readings, Clock clock, Sleeper sleeper, Duration fastInterval,
      Duration sweepInterval, Duration coalesce, int threads, CollectorMetrics metrics) {
    this.poller = poller;
    this.sleeper = sleeper;
    this.coalesce = coalesce;
    this.readings = readings;
    this.clock = clock;
    this.fastInterval = fastInterval;
    this.fallbackInterval = fastInterval;
    this.sweepInterval = sweepInterval;
    this.metrics = metrics;
    AtomicInteger sequence = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "collector-poll-" + sequence.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "collector-scheduler");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * With events on: an account that {@code fallback} says has lost its events is polled every
   * {@code plainFastInterval} instead of the slower events interval, until an event is seen for it again.
   */
  public PollScheduler withFallback(EventFallback fallback, Duration plainFastInterval) {
    this.fallback = fallback;
    this.fallbackInterval = plainFastInterval;
    return this;
  }

  /** The fast interval that applies to the account now. */
  Duration fastIntervalOf(String accountId) {
    EventFallback current = fallback;
    return current != null && current.fallenBack(accountId) ? fallbackInterval : fastInterval;
  }

  /** Starts polling the owned accounts on their intervals. */
  public void start() {
    Duration shortest = fallbackInterval.compareTo(fastInterval) < 0 ? fallbackInterval : fastInterval;
    long tickMs = Math.max(20, Math.min(500, shortest.toMillis() / 10));
    ticker.scheduleWithFixedDelay(this::tickSafely, 0, tickMs, TimeUnit.MILLISECONDS);
  }

  /** Adds accounts to those this instance polls; their first poll is due at once. */
  public void own(Collection<String> accountIds) {
    Instant now = clock.instant();
    for (String id : accountIds) {
      accounts.computeIfAbsent(id, a -> new Scheduled(states.computeIfAbsent(a, AccountState::new), now));
    }
  }

  /**
   * Stops polling accounts (another instance now owns them or they were removed): polls in progress
   * are interrupted and waited for, up to {@code wait}, so the new owner never polls them at the same time.
   */
  public void release(Collection<String> accountIds, Duration wait) {
    List<Scheduled> released = new ArrayList<>();
    for (String id : accountIds) {
      Scheduled s = accounts.remove(id);
      if (s != null) {
        synchronized (s) {
          s.owned = false;
        }
        released.add(s);
      }
    }
    Instant deadline = clock.instant().plus(wait);
    for (Scheduled s : released) {
      Future<?> running = s.running;
      if (running != null) {
        running.cancel(true);
      }
    }
    for (Scheduled s : released) {
      while (s.active && clock.instant().isBefore(deadline)) {
        try {
          sleeper.sleep(RELEASE_CHECK);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (s.active) {
        LOG.warn("poll of account {} still running {} after release", s.state.accountId(), wait);
      }
    }
  }

  /**
   * An AWS Support event named this case: it is read at once (after the coalescing window), by itself,
   * when the account is not being read. The account may not be owned yet (its record is being loaded):
   * the announcement waits in its state and is read once it is.
   *
   * @return false when the event id was seen lately, so it makes no read
   */
  public boolean announce(String accountId, String caseId, String eventId) {
    AccountState state = states.computeIfAbsent(accountId, AccountState::new);
    Instant now = clock.instant();
    EventFallback current = fallback;
    if (current != null) {
      // A repeat too: the account's events arrive, whatever became of this one.
      current.eventSeen(accountId);
    }
    synchronized (state.recentEventIds) {
      Instant forgetBefore = now.minus(EVENT_ID_MEMORY);
      var oldest = state.recentEventIds.entrySet().iterator();
      while (oldest.hasNext() && oldest.next().getValue().isBefore(forgetBefore)) {
        oldest.remove();
      }
      if (eventId != null && state.recentEventIds.containsKey(eventId)) {
        metrics.eventRepeated(accountId);
        return false;
      }
      if (eventId != null) {
        state.recentEventIds.put(eventId, now);
      }
      state.announced.put(caseId, eventId == null ? "" : eventId);
      if (state.announcedSince == null) {
        state.announcedSince = now;
      }
    }
    metrics.eventAnnounced(accountId);
    try {
      ticker.schedule(this::tickSafely, coalesce.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // closing: the announcement is dropped with the scheduler; the polls of the next owner are the net
    }
    return true;
  }

  /** Whether a poll of the account is running, its next one not yet planned (tests wait on it rather than on time). */
  boolean polling(String accountId) {
    Scheduled s = accounts.get(accountId);
    return s != null && s.active;
  }

  public Set<String> ownedAccounts() {
    return Set.copyOf(accounts.keySet());
  }

  /** One sweep of each account, all on the pool at once; returns the reports in the order given. */
  public List<PollReport> sweepOnce(Collection<String> accountIds) throws InterruptedException {
    Map<String, Future<PollReport>> futures = new LinkedHashMap<>();
    for (String id : accountIds) {
      AccountState state = states.computeIfAbsent(id, AccountState::new);
      futures.put(id, pool.submit(() -> {
        PollReport report = poller.poll(state, PollKind.SWEEP);
        metrics.pollFinished(id, PollKind.SWEEP.wireName(), report.outcome().wireName(),
            Duration.between(report.startedAt(), report.finishedAt()));
        return report;
      }));
    }
    List<PollReport> reports = new ArrayList<>();
    for (var entry : futures.entrySet()) {
      try {
        reports.add(entry.getValue().get());
      } catch (ExecutionException e) {
        LOG.error("sweep of account {} failed unexpectedly", entry.getKey(), e.getCause());
        Instant now = clock.instant();
        reports.add(new PollReport(entry.getKey(), "", PollKind.SWEEP, Outcome.ERROR, e.getCause().toString(),
            0, 0, 0, false, now, now));
      }
    }
    return reports;
  }

  void tick() {
    Instant now = clock.instant();
    for (Scheduled s : accounts.values()) {
      if (announcementsDue(s.state, now) && !busy(s)) {
        s.running = pool.submit(() -> runEventRead(s));
        continue;
      }
      if (now.isBefore(s.nextPoll)) {
        continue;
      }
      if (busy(s)) {
        if (!s.overrunReported) {
          s.overrunReported = true;
          metrics.overrun(s.state.accountId());
          LOG.warn("poll of account {} overran its interval; the next one waits for it", s.state.accountId());
        }
        continue;
      }
      PollKind kind = !readings.hasBeenRead(s.state.accountId()) || !now.isBefore(s.nextSweep) ? PollKind.SWEEP : PollKind.FAST;
      s.running = pool.submit(() -> runPoll(s, kind));
    }
  }

  private void runPoll(Scheduled s, PollKind kind) {
    Instant started = clock.instant();
    synchronized (s) {
      if (!s.owned) {
        return;
      }
      s.active = true;
    }
    try {
      PollReport report = poller.poll(s.state, kind);
      Duration took = Duration.between(report.startedAt(), report.finishedAt());
      metrics.pollFinished(report.accountId(), kind.wireName(), report.outcome().wireName(), took);
      if (kind == PollKind.SWEEP && report.outcome() == Outcome.OK) {
        s.nextSweep = started.plus(s.swept ? sweepInterval : firstResweepDelay(s.state.accountId(), sweepInterval));
        s.swept = true;
      }
      if (report.outcome() != Outcome.OK) {
        LOG.info("{} poll of account {}: {} ({})", kind.wireName(), report.accountId(), report.outcome().wireName(), report.reason());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("{} poll of account {} failed unexpectedly", kind.wireName(), s.state.accountId(), e);
    } finally {
      s.nextPoll = started.plus(fastIntervalOf(s.state.accountId()));
      s.overrunReported = false;
      s.active = false;
    }
  }

  private boolean announcementsDue(AccountState state, Instant now) {
    synchronized (state.recentEventIds) {
      return state.announcedSince != null && !now.isBefore(state.announcedSince.plus(coalesce));
    }
  }

  /** Takes what was announced so far; what comes during the read waits for the next one. */
  private static Map<String, String> takeAnnounced(AccountState state) {
    synchronized (state.recentEventIds) {
      Map<String, String> taken = new LinkedHashMap<>();
      for (var entry : state.announced.entrySet()) {
        String eventId = entry.getValue();
        taken.put(entry.getKey(), eventId.isEmpty() ? null : eventId);
      }
      taken.forEach((caseId, eventId) -> state.announced.remove(caseId, eventId == null ? "" : eventId));
      state.announcedSince = null;
      return taken;
    }
  }

  private void runEventRead(Scheduled s) {
    synchronized (s) {
      if (!s.owned) {
        return;
      }
      s.active = true;
    }
    try {
      Map<String, String> cases = takeAnnounced(s.state);
      if (cases.isEmpty()) {
        return;
      }
      PollReport report = poller.readAnnounced(s.state, cases);
      metrics.pollFinished(report.accountId(), PollKind.EVENT.wireName(), report.outcome().wireName(),
          Duration.between(report.startedAt(), report.finishedAt()));
      if (report.outcome() != Outcome.OK) {
        LOG.info("event read of account {}: {} ({}); its polls will find the changes", report.accountId(),
            report.outcome().wireName(), report.reason());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("event read of account {} failed unexpectedly", s.state.accountId(), e);
    } finally {
      s.active = false;
    }
  }

  /**
   * When an account is swept again after its first sweep under this scheduler: between half and one
   * interval, fixed per account. Every account's first sweep happens at start, so without this their
   * sweeps would stay aligned and arrive as one burst every interval, delaying the fast polls' news.
   */
  static Duration firstResweepDelay(String accountId, Duration sweepInterval) {
    double fraction = Math.floorMod(accountId.hashCode() * 0x9E3779B9, 1_000) / 1_000.0;
    return Duration.ofMillis((long) (sweepInterval.toMillis() * (0.5 + 0.5 * fraction)));
  }

  /** The future is set after submission, so a poll that already finished may still be referenced. */
  private static boolean busy(Scheduled s) {
    Future<?> running = s.running;
    return running != null && !running.isDone();
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.error("scheduler tick failed", e);
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    pool.shutdownNow();
    try {
      pool.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
