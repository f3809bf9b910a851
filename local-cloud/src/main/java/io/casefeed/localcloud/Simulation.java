package io.casefeed.localcloud;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated organisation: its accounts and their cases as they are now (the ground truth every
 * AWS reply is computed from), a lifecycle thread that makes cases live, faults, and the count of
 * calls served. Reads are lock-free snapshots; changes are serialised and persisted under the data dir.
 */
public final class Simulation implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Simulation.class);
  private static final String STATE_FILE = "simulation.json";
  private static final double STANDING_THROTTLE_PER_SECOND = 2.0;

  private final Clock clock;
  private final Faults faults;
  private final Path stateFile;
  private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final Map<String, List<SimulatedCase>> casesByAccount = new ConcurrentHashMap<>();
  private final Map<String, String> accountOfCase = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> callCounts = new ConcurrentHashMap<>();
  private final ScheduledExecutorService lifecycle;
  private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean dirty = new AtomicBoolean();
  private Scenario scenario;
  private volatile List<SimulatedAccount> accounts;
  private volatile Map<String, SimulatedAccount> accountsById;
  private volatile String managementAccountId;
  private volatile boolean paused;
  private volatile List<String> throttledAccounts;
  private long nextDisplayId;
  private long eventCounter;
  private long nextSaveNotBefore;

  /**
   * Told of every change to a case (a new case included) the moment it becomes the ground truth, on
   * the thread that made it and while the organisation is locked, so calls arrive in change order.
   */
  @FunctionalInterface
  public interface ChangeListener {
    void changed(String accountId, SimulatedCase now, Instant at);
  }

  /** Loads the organisation persisted under {@code dataDir}, or generates the scenario's. */
  /** The clock every timestamp of the organisation comes from. */
  public Clock clock() {
    return clock;
  }

  public Simulation(Scenario scenario, Path dataDir, Clock clock, Faults faults) {
    this.clock = clock;
    this.faults = faults;
    try {
      this.stateFile = Files.createDirectories(dataDir).resolve(STATE_FILE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data dir " + dataDir, e);
    }
    OrganisationState state = Files.exists(stateFile) ? readState(scenario) : null;
    if (state == null) {
      state = new OrganisationGenerator(scenario, clock.instant()).generate();
      dirty.set(true);
    } else {
      LOG.info("continuing the organisation saved in {}", stateFile);
    }
    install(state);
    this.lifecycle = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "localcloud-lifecycle");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts the lifecycle thread and the background saver. */
  public void start() {
    scheduleNextEvent();
    lifecycle.scheduleWithFixedDelay(this::saveIfChanged, 0, 200, TimeUnit.MILLISECONDS);
  }

  private OrganisationState readState(Scenario requested) {
    try {
      OrganisationState saved = json.readValue(stateFile.toFile(), OrganisationState.class);
      if (!saved.scenario().seed().equals(requested.seed()) || !saved.scenario().accounts().equals(requested.accounts())) {
        LOG.warn("{} holds an organisation of seed {} with {} accounts; continuing it rather than the requested seed {} with {}",
            stateFile, saved.scenario().seed(), saved.scenario().accounts(), requested.seed(), requested.accounts());
      }
      return new OrganisationState(saved.scenario().withSpeed(requested.speed()), saved.managementAccountId(),
          saved.accounts(), saved.cases(), saved.throttledAccounts(), saved.nextDisplayId(), saved.eventCounter());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the saved organisation " + stateFile, e);
    }
  }

  private synchronized void install(OrganisationState state) {
    scenario = state.scenario();
    managementAccountId = state.managementAccountId();
    accounts = List.copyOf(state.accounts());
    Map<String, SimulatedAccount> byId = new LinkedHashMap<>();
    accounts.forEach(account -> byId.put(account.id(), account));
    accountsById = byId;
    casesByAccount.clear();
    accountOfCase.clear();
    state.cases().forEach((accountId, cases) -> {
      List<SimulatedCase> sorted = new ArrayList<>(cases);
      sorted.sort(OrganisationGenerator.NEWEST_FIRST);
      casesByAccount.put(accountId, List.copyOf(sorted));
      cases.forEach(c -> accountOfCase.put(c.caseId(), accountId));
    });
    nextDisplayId = state.nextDisplayId();
    eventCounter = state.eventCounter();
    throttledAccounts = List.copyOf(state.throttledAccounts());
    faults.standingThrottles(throttledAccounts, STANDING_THROTTLE_PER_SECOND, 2);
  }

  /** Adds a listener for every later change; it must be quick, since it runs inside the change. */
  public void onChange(ChangeListener listener) {
    listeners.add(listener);
  }

  private void announce(String accountId, SimulatedCase now) {
    if (listeners.isEmpty()) {
      return;
    }
    Instant at = clock.instant();
    for (ChangeListener listener : listeners) {
      listener.changed(accountId, now, at);
    }
  }

  public Scenario scenario() {
    return scenario;
  }

  public String managementAccountId() {
    return managementAccountId;
  }

  /** Every account of the organisation, the management account first. */
  public List<SimulatedAccount> accounts() {
    return accounts;
  }

  public Optional<SimulatedAccount> account(String accountId) {
    return Optional.ofNullable(accountsById.get(accountId));
  }

  /** Every case of the account as it is now, newest first; empty for an unknown account. */
  public List<SimulatedCase> cases(String accountId) {
    return casesByAccount.getOrDefault(accountId, List.of());
  }

  /** Every case of every account, keyed by account id. */
  public Map<String, List<SimulatedCase>> allCases() {
    Map<String, List<SimulatedCase>> all = new LinkedHashMap<>();
    for (SimulatedAccount account : accounts) {
      all.put(account.id(), cases(account.id()));
    }
    return all;
  }

  /** The account a case belongs to. */
  public Optional<String> accountOf(String caseId) {
    return Optional.ofNullable(accountOfCase.get(caseId));
  }

  public Optional<SimulatedCase> findCase(String caseId) {
    String accountId = accountOfCase.get(caseId);
    return accountId == null ? Optional.empty()
        : cases(accountId).stream().filter(c -> c.caseId().equals(caseId)).findFirst();
  }

  /** Accounts whose Support calls are throttled beyond 2 calls/s, a trait of the scenario. */
  public List<String> throttledAccounts() {
    return throttledAccounts;
  }

  public Faults faults() {
    return faults;
  }

  /** Stops the lifecycle from applying events; the ground truth then stays still. */
  public void pause() {
    paused = true;
  }

  public void resume() {
    paused = false;
  }

  public boolean isPaused() {
    return paused;
  }

  public SimulatedCase createCase(String accountId, String subject, String serviceCode, String severityCode, String language) {
    return createCase(accountId, subject, serviceCode, null, severityCode, language, subject, List.of(), customerAddress(accountId));
  }

  /** The address an account's people write to AWS Support from. */
  public String customerAddress(String accountId) {
    return OrganisationGenerator.customerAddress(
        account(accountId).orElseThrow(() -> new NoSuchElementException("no account " + accountId)));
  }

  /** A new unassigned case whose first communication is {@code body}, as CreateCase makes it. */
  public synchronized SimulatedCase createCase(String accountId, String subject, String serviceCode, String categoryCode,
      String severityCode, String language, String body, List<String> ccEmailAddresses, String submittedBy) {
    if (!accountsById.containsKey(accountId)) {
      throw new NoSuchElementException("no account " + accountId);
    }
    String service = serviceCode == null ? "general-info" : serviceCode;
    String category = categoryCode != null ? categoryCode : SupportCatalogue.SERVICES.stream()
        .filter(s -> s.code().equals(service)).findFirst().map(s -> s.categories().get(0).code()).orElse("other");
    String severity = severityCode == null ? "low" : severityCode;
    if (!SupportCatalogue.isSeverity(severity)) {
      throw new IllegalArgumentException("unknown severity " + severity);
    }
    Instant now = clock.instant();
    String created = Timestamps.format(now);
    Random random = new Random(scenario.seed() * 31 + nextDisplayId);
    String caseId = "case-" + accountId + "-" + now.atZone(ZoneOffset.UTC).getYear() + "-"
        + String.format(Locale.ROOT, "%016x", random.nextLong());
    SimulatedCase newCase = new SimulatedCase(caseId, Long.toString(nextDisplayId++), subject, "unassigned", service,
        category, severity, submittedBy, created, ccEmailAddresses == null ? List.of() : ccEmailAddresses,
        language == null ? "en" : language, List.of(new SimulatedCommunication(body, submittedBy, created)));
    List<SimulatedCase> updated = new ArrayList<>(cases(accountId).size() + 1);
    updated.add(newCase);
    updated.addAll(cases(accountId));
    updated.sort(OrganisationGenerator.NEWEST_FIRST);
    casesByAccount.put(accountId, List.copyOf(updated));
    accountOfCase.put(caseId, accountId);
    dirty.set(true);
    announce(accountId, newCase);
    return newCase;
  }

  public SimulatedCase setStatus(String caseId, String status) {
    if (!SupportCatalogue.STATUSES.contains(status)) {
      throw new IllegalArgumentException("unknown status " + status + ", expected one of " + SupportCatalogue.STATUSES);
    }
    return change(caseId, c -> c.withStatus(status));
  }

  public SimulatedCase setSeverity(String caseId, String severity) {
    if (!SupportCatalogue.isSeverity(severity)) {
      throw new IllegalArgumentException("unknown severity " + severity);
    }
    return change(caseId, c -> c.withSeverity(severity));
  }

  /** Adds a message to the case, from AWS or from the customer, and moves its status as AWS does. */
  public SimulatedCase addCommunication(String caseId, boolean fromAws, String body) {
    return addCommunication(caseId, fromAws, body, null);
  }

  public SimulatedCase addCommunication(String caseId, boolean fromAws, String body, String customerSubmitter) {
    return change(caseId, c -> {
      String by = fromAws ? SimulatedCase.AWS_SUBMITTER : customerSubmitter != null ? customerSubmitter : c.submittedBy();
      SimulatedCase withMessage = c.withCommunication(new SimulatedCommunication(body, by, Timestamps.format(clock.instant())));
      if (c.resolved()) {
        return withMessage;
      }
      return withMessage.withStatus(fromAws ? "pending-customer-action" : "customer-action-completed");
    });
  }

  public SimulatedCase resolve(String caseId) {
    return change(caseId, c -> c.withStatus(SimulatedCase.RESOLVED));
  }

  public SimulatedCase reopen(String caseId) {
    return change(caseId, c -> c.withStatus("reopened"));
  }

  private synchronized SimulatedCase change(String caseId, UnaryOperator<SimulatedCase> how) {
    String accountId = accountOfCase.get(caseId);
    if (accountId == null) {
      throw new NoSuchElementException("no case " + caseId);
    }
    List<SimulatedCase> updated = new ArrayList<>(cases(accountId));
    for (int i = 0; i < updated.size(); i++) {
      if (updated.get(i).caseId().equals(caseId)) {
        SimulatedCase changed = how.apply(updated.get(i));
        updated.set(i, changed);
        casesByAccount.put(accountId, List.copyOf(updated));
        dirty.set(true);
        announce(accountId, changed);
        return changed;
      }
    }
    throw new NoSuchElementException("no case " + caseId);
  }

  /** Back to the scenario's initial organisation, generated afresh now; faults and call counts cleared. */
  public synchronized void reset() {
    faults.clear();
    resetCallCounts();
    install(new OrganisationGenerator(scenario, clock.instant()).generate());
    dirty.set(true);
  }

  /** Counts one call served; the key is {@code <Service>.<Operation>:<accountId>}. */
  public void recordCall(String service, String operation, String accountId) {
    callCounts.computeIfAbsent(service + "." + operation + ":" + accountId, key -> new LongAdder()).increment();
  }

  /** Calls served so far, keyed {@code "<Service>.<Operation>:<accountId>"}, e.g. {@code "Support.DescribeCases:123456789012"}. */
  public Map<String, Long> callCounts() {
    Map<String, Long> counts = new TreeMap<>();
    callCounts.forEach((key, count) -> counts.put(key, count.sum()));
    return counts;
  }

  public void resetCallCounts() {
    callCounts.clear();
  }

  private void scheduleNextEvent() {
    double perHour = scenario.eventsPerHour() * scenario.speed();
    if (perHour <= 0 || lifecycle.isShutdown()) {
      return;
    }
    double meanMillis = 3_600_000.0 / perHour;
    long delay = Math.max(1, (long) (-Math.log(1 - Math.random()) * meanMillis));
    lifecycle.schedule(() -> {
      try {
        if (!paused) {
          applyLifecycleEvent();
        }
      } catch (RuntimeException e) {
        LOG.warn("lifecycle event failed", e);
      } finally {
        scheduleNextEvent();
      }
    }, delay, TimeUnit.MILLISECONDS);
  }

  /** One step of a case's life: a new case, a reply, a status move, a resolution, a reopening or an escalation. */
  synchronized void applyLifecycleEvent() {
    Random random = new Random(scenario.seed() * 1_000_003L + eventCounter++);
    List<SimulatedAccount> eligible = accounts.stream().filter(a -> a.supportPlan() && a.active()).toList();
    if (eligible.isEmpty()) {
      return;
    }
    SimulatedAccount account = eligible.get(random.nextInt(eligible.size()));
    List<SimulatedCase> open = cases(account.id()).stream().filter(c -> !c.resolved()).toList();
    List<SimulatedCase> resolved = cases(account.id()).stream().filter(SimulatedCase::resolved).limit(50).toList();
    double roll = random.nextDouble();
    if (roll < 0.2 || open.isEmpty() && (roll < 0.9 || resolved.isEmpty())) {
      String language = random.nextDouble() < 0.85 ? "en" : Scenario.SUPPORTED_LANGUAGES.get(1 + random.nextInt(3));
      String subject = OrganisationGenerator.subject(random, language);
      SupportCatalogue.Service service = SupportCatalogue.SERVICES.get(random.nextInt(SupportCatalogue.SERVICES.size()));
      createCase(account.id(), subject, service.code(), service.categories().get(0).code(),
          SupportCatalogue.SEVERITY_LEVELS.get(random.nextInt(4)).code(), language,
          subject + "\n\n" + OrganisationGenerator.customerReply(random, language), List.of(),
          OrganisationGenerator.customerAddress(account));
    } else if (roll < 0.9 && !open.isEmpty()) {
      SimulatedCase target = open.get(random.nextInt(open.size()));
      if (roll < 0.45) {
        addCommunication(target.caseId(), true, OrganisationGenerator.awsReply(random, target.language()));
      } else if (roll < 0.6) {
        addCommunication(target.caseId(), false, OrganisationGenerator.customerReply(random, target.language()));
      } else if (roll < 0.7) {
        setStatus(target.caseId(), "work-in-progress");
      } else if (roll < 0.8) {
        List<String> levels = SupportCatalogue.SEVERITY_LEVELS.stream().map(SupportCatalogue.SeverityLevel::code).toList();
        int current = levels.indexOf(target.severityCode());
        setSeverity(target.caseId(), levels.get(Math.min(levels.size() - 1, current + 1)));
      } else {
        resolve(target.caseId());
      }
    } else if (!resolved.isEmpty()) {
      reopen(resolved.get(random.nextInt(resolved.size())).caseId());
    }
    dirty.set(true);
  }

  /**
   * Saves at most every 200 ms, and a big organisation (whose save takes long) at most once per five
   * save durations, so a fast lifecycle never spends more than a fifth of a core on saving.
   */
  private void saveIfChanged() {
    if (System.nanoTime() < nextSaveNotBefore || !dirty.getAndSet(false)) {
      return;
    }
    long started = System.nanoTime();
    try {
      save();
    } catch (RuntimeException e) {
      dirty.set(true);
      LOG.warn("cannot save the organisation to {}", stateFile, e);
    }
    long finished = System.nanoTime();
    nextSaveNotBefore = finished + 5 * (finished - started);
  }

  private synchronized void save() {
    Map<String, List<SimulatedCase>> cases = new LinkedHashMap<>();
    accounts.forEach(account -> cases.put(account.id(), cases(account.id())));
    OrganisationState state = new OrganisationState(scenario, managementAccountId, accounts, cases,
        throttledAccounts, nextDisplayId, eventCounter);
    try {
      Path temporary = stateFile.resolveSibling(STATE_FILE + ".tmp");
      json.writeValue(temporary.toFile(), state);
      Files.move(temporary, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    lifecycle.shutdownNow();
    try {
      lifecycle.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dirty.set(false);
    save();
  }
}
