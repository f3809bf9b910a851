package io.casefeed.notifier.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Batches alerts into fixed windows aligned to the epoch, so a burst becomes one mail and a replay
 * after a restart rebuilds the same windows. A window is due {@code grace} after it ends, to let
 * changes still in the pipeline arrive; an event for a window already sent goes to the window of now.
 */
public final class AlertBatcher {

  private final Duration window;
  private final Duration grace;
  private final TreeMap<Instant, Map<String, AlertEvent>> open = new TreeMap<>();
  private final Set<Instant> closed = new HashSet<>();
  private Instant doneBefore;

  /** @param doneBefore windows ending at or before this were completed before the last restart */
  public AlertBatcher(Duration window, Duration grace, Instant doneBefore) {
    this.window = window;
    this.grace = grace;
    this.doneBefore = doneBefore;
  }

  public Instant windowStart(Instant at) {
    long size = window.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), size) * size);
  }

  public Duration window() {
    return window;
  }

  /** Adds an event; returns false when it belongs to a window completed before the restart. */
  public boolean add(AlertEvent event, Instant now) {
    Instant start = windowStart(event.at());
    if (!start.plus(window).isAfter(doneBefore)) {
      return false;
    }
    if (closed.contains(start)) {
      start = windowStart(now);
      if (closed.contains(start)) {
        start = start.plus(window);
      }
    }
    open.computeIfAbsent(start, s -> new LinkedHashMap<>()).putIfAbsent(event.id(), event);
    return true;
  }

  /** Also true for the events that a window already holds. */
  public boolean contains(String eventId) {
    return open.values().stream().anyMatch(events -> events.containsKey(eventId));
  }

  /**
   * Drops the events of one case from the windows not yet sent: the case was erased (casefeed erase),
   * so no later mail may carry what the events hold of it. A window left empty sends nothing.
   */
  public void forgetCase(String accountId, String caseId) {
    for (Map<String, AlertEvent> events : open.values()) {
      events.values().removeIf(e -> e.details() != null && accountId.equals(e.accountId()) && caseId.equals(e.details().caseId()));
    }
  }

  /** Windows whose end plus grace has passed, oldest first. */
  public List<Instant> dueWindows(Instant now) {
    List<Instant> due = new ArrayList<>();
    for (Instant start : open.keySet()) {
      if (!start.plus(window).plus(grace).isAfter(now)) {
        due.add(start);
      }
    }
    return due;
  }

  public List<AlertEvent> events(Instant windowStart) {
    return List.copyOf(open.getOrDefault(windowStart, Map.of()).values());
  }

  /** Marks a window sent: its events leave, later events for it go to a newer window. */
  public void close(Instant windowStart) {
    open.remove(windowStart);
    closed.add(windowStart);
  }

  /**
   * How far every alert is done: the end of the oldest open window's predecessor, or the end of the
   * window now due to close when none is open. A restart replays from here.
   */
  public Instant doneBefore(Instant now) {
    Instant horizon = open.isEmpty() ? windowStart(now.minus(grace)) : open.firstKey();
    if (horizon.isAfter(doneBefore)) {
      doneBefore = horizon;
      // Events for these windows are dropped by add() from now on, so their closed marks are no longer needed.
      closed.removeIf(start -> !start.plus(window).isAfter(doneBefore));
    }
    return doneBefore;
  }
}
