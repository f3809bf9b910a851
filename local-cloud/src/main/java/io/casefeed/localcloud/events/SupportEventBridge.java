package io.casefeed.localcloud.events;

import io.casefeed.localcloud.SimulatedCase;
import io.casefeed.localcloud.Simulation;
import io.casefeed.localcloud.sqs.LocalSqs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * local-cloud's EventBridge for AWS Support: when the simulated organisation creates a case, adds a
 * communication to it, resolves or reopens it, the {@code Support Case Update} event is sent to the
 * configured SQS queue in EventBridge's exact envelope, after the configured delay, with the
 * configured loss, duplication and reordering. Other changes (status moves, severity) have no event
 * in AWS either: only polling sees them.
 */
public final class SupportEventBridge implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SupportEventBridge.class);
  /** The Support region of the aws partition: where AWS publishes every Support event. */
  public static final String REGION = "us-east-1";
  private static final int KEPT = 100_000;

  private final LocalSqs sqs;
  private final ScheduledExecutorService sender;
  /** What each case looked like at its last change: the event is the difference. */
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();
  private final Deque<SupportCaseEvent> announced = new ArrayDeque<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private final AtomicLong duplicated = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile EventDelivery delivery = EventDelivery.OFF;

  private record Seen(String status, int communications) {
    static Seen of(SimulatedCase c) {
      return new Seen(c.status(), c.communications().size());
    }
  }

  public SupportEventBridge(Simulation simulation, LocalSqs sqs) {
    this.sqs = sqs;
    this.sender = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "localcloud-eventbridge");
      thread.setDaemon(true);
      return thread;
    });
    simulation.allCases().values().forEach(cases -> cases.forEach(c -> seen.put(c.caseId(), Seen.of(c))));
    simulation.onChange(this::changed);
  }

  /** Changes delivery at run time, like the other faults; {@link EventDelivery#OFF} stops events. */
  public void configure(EventDelivery delivery) {
    this.delivery = delivery;
    LOG.info("EventBridge Support events: {}", delivery.on() ? delivery : "off");
  }

  public EventDelivery delivery() {
    return delivery;
  }

  /** The events announced while delivery was on, oldest first (the last 100,000), lost ones included. */
  public List<SupportCaseEvent> announced() {
    synchronized (announced) {
      return new ArrayList<>(announced);
    }
  }

  public long sent() {
    return sent.get();
  }

  public long lost() {
    return lost.get();
  }

  public long duplicated() {
    return duplicated.get();
  }

  /** Sends SQS refused or could not take; EventBridge would retry, local-cloud only counts them. */
  public long failed() {
    return failed.get();
  }

  private void changed(String accountId, SimulatedCase now, Instant at) {
    Seen before = seen.put(now.caseId(), Seen.of(now));
    EventDelivery current = delivery;
    if (!current.on()) {
      return;
    }
    String name;
    String origin = null;
    String communicationId = null;
    int communications = now.communications().size();
    if (before == null) {
      name = "CreateCase";
    } else if (communications > before.communications()) {
      name = "AddCommunicationToCase";
      origin = SimulatedCase.AWS_SUBMITTER.equals(now.communications().get(0).submittedBy()) ? "AWS" : "CUSTOMER";
      communicationId = communicationId(now.caseId(), communications);
    } else if (now.resolved() && !SimulatedCase.RESOLVED.equals(before.status())) {
      name = "ResolveCase";
    } else if (SimulatedCase.RESOLVED.equals(before.status()) && !now.resolved()) {
      name = "ReopenCase";
    } else {
      return;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    boolean lose = random.nextDouble() < current.lossFraction();
    boolean duplicate = !lose && random.nextDouble() < current.duplicateFraction();
    SupportCaseEvent event = new SupportCaseEvent(UUID.randomUUID().toString(), accountId, now.caseId(), now.displayId(),
        communicationId, name, origin, at, lose ? 0 : duplicate ? 2 : 1);
    synchronized (announced) {
      announced.addLast(event);
      if (announced.size() > KEPT) {
        announced.removeFirst();
      }
    }
    if (lose) {
      lost.incrementAndGet();
      return;
    }
    String body = SupportEventEnvelope.json(event.eventId(), accountId, at, REGION, now.caseId(), now.displayId(),
        communicationId, name, origin);
    schedule(current, body, random);
    if (duplicate) {
      duplicated.incrementAndGet();
      schedule(current, body, random);
    }
  }

  private void schedule(EventDelivery current, String body, ThreadLocalRandom random) {
    long delayMs = current.delay().toMillis();
    if (current.reorderFraction() > 0 && random.nextDouble() < current.reorderFraction()) {
      delayMs += random.nextLong(current.reorderWindow().toMillis() + 1);
    }
    sender.schedule(() -> send(current.queueUrl(), body), delayMs, TimeUnit.MILLISECONDS);
  }

  private void send(String queueUrl, String body) {
    try {
      sqs.send(queueUrl, body);
      sent.incrementAndGet();
    } catch (RuntimeException e) {
      failed.incrementAndGet();
      LOG.warn("EventBridge could not deliver a Support event to {}: {}", queueUrl, e.getMessage());
    }
  }

  /** Support's communication ids are opaque ({@code ekko-<hex>}); a stable one per case and message. */
  static String communicationId(String caseId, int ordinal) {
    UUID id = UUID.nameUUIDFromBytes((caseId + "#" + ordinal).getBytes(StandardCharsets.UTF_8));
    return "ekko-" + id.toString().replace("-", "");
  }

  /** Events not yet sent are dropped, as they would be by an EventBridge that stopped. */
  @Override
  public void close() {
    sender.shutdownNow();
  }

  /** For the demo's log line. */
  @Override
  public String toString() {
    return "SupportEventBridge[" + delivery + ", sent=" + sent + ", lost=" + lost + ", duplicated=" + duplicated + "]";
  }
}
