package io.casefeed.collector.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The per-account buckets and the one global bucket every AWS call goes through. */
public final class RateLimits {

  private final double accountPerSecond;
  private final int accountBurst;
  private final TokenBucket global;
  private final Map<String, TokenBucket> accounts = new ConcurrentHashMap<>();

  public RateLimits(double accountPerSecond, int accountBurst, double globalPerSecond) {
    this.accountPerSecond = accountPerSecond;
    this.accountBurst = accountBurst;
    // The global bucket allows one second's worth at once: enough to fill the pool after a lull.
    this.global = new TokenBucket(globalPerSecond, Math.max(1, (int) Math.ceil(globalPerSecond)));
  }

  /** Waits until both the account's bucket and the global one allow a call. */
  public void acquireForAccount(String accountId) throws InterruptedException {
    long accountWait = accounts.computeIfAbsent(accountId, a -> new TokenBucket(accountPerSecond, accountBurst)).reserve();
    // The global token is reserved only when the account's own wait is over, so a slow account never
    // holds global capacity it cannot use yet.
    if (accountWait > 0) {
      TimeUnit.NANOSECONDS.sleep(accountWait);
    }
    global.acquire();
  }

  /** Waits until the global bucket allows a call that is not counted against an account (AssumeRole). */
  public void acquireGlobal() throws InterruptedException {
    global.acquire();
  }
}
