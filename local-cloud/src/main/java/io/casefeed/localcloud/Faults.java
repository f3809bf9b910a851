package io.casefeed.localcloud;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Faults injected into the AWS endpoint at runtime: latency, token-bucket throttling per account and
 * operation, a global rate limit, a random rate of server errors and revoked roles. Every AWS call
 * passes through {@link #beforeCall}.
 */
public final class Faults {

  /** What an injected fault does to one call. */
  public enum Outcome { PROCEED, THROTTLED, SERVER_ERROR }

  private volatile long minLatencyNanos;
  private volatile long maxLatencyNanos;
  private volatile double serverErrorFraction;
  private volatile TokenBucket globalLimit;
  /** Every injected throttle in the order given, for {@link #describe()}. */
  private final List<Throttle> throttles = new CopyOnWriteArrayList<>();
  // The same throttles looked up by the calling account: a benchmark sets one per account (thousands),
  // and a scan of all of them on every call made the stand-in crowd out the collector it serves.
  private final Map<String, List<Throttle>> accountThrottles = new ConcurrentHashMap<>();
  private final List<Throttle> everyAccountThrottles = new CopyOnWriteArrayList<>();
  /** The scenario's standing throttles by account, in the order given. */
  private volatile Map<String, Throttle> standingByAccount = Map.of();
  private final Set<String> revokedRoles = ConcurrentHashMap.newKeySet();

  /** Every call waits a uniformly random time between {@code min} and {@code max}. */
  public Faults latency(Duration min, Duration max) {
    if (min.isNegative() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("latency needs 0 <= min <= max, was " + min + ".." + max);
    }
    minLatencyNanos = min.toNanos();
    maxLatencyNanos = max.toNanos();
    return this;
  }

  /**
   * A token bucket: calls beyond {@code callsPerSecond} (after a burst of {@code burst}) get
   * ThrottlingException.
   *
   * @param accountId the account it applies to, null = every account
   * @param operation "DescribeCases" or "Support.DescribeCases", null = every operation
   */
  public Faults throttle(String accountId, String operation, double callsPerSecond, int burst) {
    Throttle throttle = new Throttle(accountId, null, operation, new TokenBucket(callsPerSecond, burst));
    throttles.add(throttle);
    if (accountId == null) {
      everyAccountThrottles.add(throttle);
    } else {
      accountThrottles.computeIfAbsent(accountId, a -> new CopyOnWriteArrayList<>()).add(throttle);
    }
    return this;
  }

  /** At most {@code callsPerSecond} calls in all, the excess throttled. */
  public Faults globalRateLimit(double callsPerSecond) {
    globalLimit = new TokenBucket(callsPerSecond, Math.max(1, (int) Math.ceil(callsPerSecond)));
    return this;
  }

  /** This fraction of calls (0..1), chosen at random, fail with a 5xx InternalServerError. */
  public Faults serverErrorRate(double fraction) {
    if (fraction < 0 || fraction > 1) {
      throw new IllegalArgumentException("serverErrorRate must be within 0..1, was " + fraction);
    }
    serverErrorFraction = fraction;
    return this;
  }

  /** AssumeRole into this account is denied from now on (until {@link #clear()}). */
  public Faults revokeRole(String accountId) {
    revokedRoles.add(accountId);
    return this;
  }

  /**
   * The scenario's throttled accounts: every Support call of theirs beyond {@code callsPerSecond}
   * is throttled. A trait of the account, like its support plan: {@link #clear()} keeps it.
   */
  public Faults standingThrottles(Collection<String> accountIds, double callsPerSecond, int burst) {
    Map<String, Throttle> byAccount = new LinkedHashMap<>();
    for (String accountId : accountIds) {
      byAccount.put(accountId, new Throttle(accountId, "Support", null, new TokenBucket(callsPerSecond, burst)));
    }
    standingByAccount = Collections.unmodifiableMap(byAccount);
    return this;
  }

  /** Removes every injected fault; the scenario's standing throttles stay. */
  public Faults clear() {
    minLatencyNanos = 0;
    maxLatencyNanos = 0;
    serverErrorFraction = 0;
    globalLimit = null;
    throttles.clear();
    accountThrottles.clear();
    everyAccountThrottles.clear();
    revokedRoles.clear();
    return this;
  }

  public boolean roleRevoked(String accountId) {
    return revokedRoles.contains(accountId);
  }

  /** Applies the latency, then decides whether the call fails. */
  public Outcome beforeCall(String service, String operation, String accountId) {
    long min = minLatencyNanos;
    long max = maxLatencyNanos;
    if (max > 0) {
      long pause = min == max ? min : ThreadLocalRandom.current().nextLong(min, max + 1);
      try {
        TimeUnit.NANOSECONDS.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    TokenBucket global = globalLimit;
    if (global != null && !global.tryTake()) {
      return Outcome.THROTTLED;
    }
    // The account's standing throttle, then the injected ones: the account's own before those of every account.
    Throttle standing = accountId == null ? null : standingByAccount.get(accountId);
    if (standing != null && throttles(standing, service, operation, accountId)) {
      return Outcome.THROTTLED;
    }
    List<Throttle> own = accountId == null ? List.of() : accountThrottles.getOrDefault(accountId, List.of());
    for (List<Throttle> list : List.of(own, everyAccountThrottles)) {
      for (Throttle throttle : list) {
        if (throttles(throttle, service, operation, accountId)) {
          return Outcome.THROTTLED;
        }
      }
    }
    double errors = serverErrorFraction;
    if (errors > 0 && ThreadLocalRandom.current().nextDouble() < errors) {
      return Outcome.SERVER_ERROR;
    }
    return Outcome.PROCEED;
  }

  private static boolean throttles(Throttle throttle, String service, String operation, String accountId) {
    return throttle.appliesTo(service, operation, accountId) && !throttle.bucket().tryTake();
  }

  /** The faults in force, for the admin API. */
  public Map<String, Object> describe() {
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("latencyMinMs", TimeUnit.NANOSECONDS.toMillis(minLatencyNanos));
    described.put("latencyMaxMs", TimeUnit.NANOSECONDS.toMillis(maxLatencyNanos));
    described.put("serverErrorRate", serverErrorFraction);
    TokenBucket global = globalLimit;
    described.put("globalRateLimit", global == null ? null : global.ratePerSecond);
    List<Map<String, Object>> throttleList = new ArrayList<>();
    for (Throttle throttle : throttles) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("accountId", throttle.accountId());
      one.put("operation", throttle.operation());
      one.put("callsPerSecond", throttle.bucket().ratePerSecond);
      one.put("burst", throttle.bucket().capacity);
      throttleList.add(one);
    }
    described.put("throttles", throttleList);
    described.put("standingThrottles", List.copyOf(standingByAccount.keySet()));
    described.put("revokedRoles", List.copyOf(revokedRoles));
    return described;
  }

  /** A token bucket for an account (null = all), a service (null = all) and an operation (null = all). */
  private record Throttle(String accountId, String onlyService, String operation, TokenBucket bucket) {
    // Runs on every call: allocates nothing (it once built service + "." + operation each time).
    boolean appliesTo(String service, String calledOperation, String calledAccount) {
      if (accountId != null && !accountId.equals(calledAccount)) {
        return false;
      }
      if (onlyService != null && !onlyService.equals(service)) {
        return false;
      }
      return operation == null || operation.equals(calledOperation) || isQualified(operation, service, calledOperation);
    }

    /** {@code qualified} is {@code service + "." + operation}, compared without building it. */
    private static boolean isQualified(String qualified, String service, String operation) {
      return qualified.length() == service.length() + 1 + operation.length()
          && qualified.startsWith(service)
          && qualified.charAt(service.length()) == '.'
          && qualified.endsWith(operation);
    }
  }

  private static final class TokenBucket {
    private final double ratePerSecond;
    private final int capacity;
    private double tokens;
    private long refilledAt = System.nanoTime();

    TokenBucket(double ratePerSecond, int burst) {
      if (ratePerSecond <= 0 || burst < 1) {
        throw new IllegalArgumentException("a throttle needs callsPerSecond > 0 and burst >= 1");
      }
      this.ratePerSecond = ratePerSecond;
      this.capacity = burst;
      this.tokens = burst;
    }

    synchronized boolean tryTake() {
      long now = System.nanoTime();
      tokens = Math.min(capacity, tokens + (now - refilledAt) / 1e9 * ratePerSecond);
      refilledAt = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }
}
