package io.casefeed.collector.ratelimit;

import io.casefeed.common.ratelimit.CallRateLimiter;
import io.casefeed.common.time.Sleeper;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The per-account buckets and the one global bucket every AWS call goes through. */
public final class RateLimits {

  private final double accountPerSecond;
  private final int accountBurst;
  private final Clock clock;
  private final Sleeper sleeper;
  private final CallRateLimiter global;
  private final Map<String, CallRateLimiter> accounts = new ConcurrentHashMap<>();

  public RateLimits(double accountPerSecond, int accountBurst, double globalPerSecond, Clock clock, Sleeper sleeper) {
    this.accountPerSecond = accountPerSecond;
    this.accountBurst = accountBurst;
    this.clock = clock;
    this.sleeper = sleeper;
    // The global bucket allows one second's worth at once: enough to fill the pool after a lull.
    this.global = CallRateLimiter.perSecond(globalPerSecond, clock, sleeper);
  }

  public RateLimits(double accountPerSecond, int accountBurst, double globalPerSecond) {
    this(accountPerSecond, accountBurst, globalPerSecond, Clock.systemUTC(), Sleeper.SYSTEM);
  }

  /** Waits until both the account's bucket and the global one allow a call. */
  public void acquireForAccount(String accountId) throws InterruptedException {
    // The global token is reserved only when the account's own wait is over, so a slow account never
    // holds global capacity it cannot use yet.
    accounts.computeIfAbsent(accountId, a -> new CallRateLimiter(accountPerSecond, accountBurst, clock, sleeper)).acquire();
    global.acquire();
  }

  /** Waits until the global bucket allows a call that is not counted against an account (AssumeRole). */
  public void acquireGlobal() throws InterruptedException {
    global.acquire();
  }
}
