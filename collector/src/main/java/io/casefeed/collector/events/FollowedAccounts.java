package io.casefeed.collector.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts casefeed follows, as the account sources resolve them, cached. Any instance may read
 * the queue, so it needs the whole set, not its own share. An unknown account triggers a refresh, at
 * most once per {@code minRefresh}, so an account added a moment ago is not dead-lettered by a stale set.
 */
public final class FollowedAccounts implements Predicate<String> {

  private static final Logger LOG = LoggerFactory.getLogger(FollowedAccounts.class);

  private final Supplier<Set<String>> resolve;
  private final Duration minRefresh;
  private final Clock clock;
  private volatile Set<String> accounts;
  private volatile Instant refreshedAt;

  public FollowedAccounts(Supplier<Set<String>> resolve, Duration minRefresh, Clock clock) {
    this.resolve = resolve;
    this.minRefresh = minRefresh;
    this.clock = clock;
  }

  @Override
  public boolean test(String accountId) {
    Set<String> known = accounts;
    if (known != null && known.contains(accountId)) {
      return true;
    }
    synchronized (this) {
      Instant now = clock.instant();
      if (accounts == null || !now.isBefore(refreshedAt.plus(minRefresh))) {
        try {
          accounts = Set.copyOf(resolve.get());
          refreshedAt = now;
        } catch (RuntimeException e) {
          if (accounts == null) {
            throw e;
          }
          LOG.warn("refreshing the followed accounts failed, keeping the last set: {}", e.toString());
        }
      }
      return accounts.contains(accountId);
    }
  }
}
