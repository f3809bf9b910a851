package io.casefeed.collector.aws;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Assumed-role credentials per role ARN, renewed a margin before they expire so that a call never
 * goes out with credentials about to lapse. One AssumeRole per role at a time.
 */
public final class RoleCredentialsCache {

  private final RoleAssumer assumer;
  private final Clock clock;
  private final Duration refreshBefore;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  private static final class Entry {
    private volatile RoleCredentials credentials;
  }

  public RoleCredentialsCache(RoleAssumer assumer, Clock clock, Duration refreshBefore) {
    this.assumer = assumer;
    this.clock = clock;
    this.refreshBefore = refreshBefore;
  }

  /** Valid credentials for the role, assuming it when none are cached or they are about to expire. */
  public RoleCredentials credentials(String roleArn) {
    Entry entry = entries.computeIfAbsent(roleArn, a -> new Entry());
    RoleCredentials current = entry.credentials;
    if (fresh(current)) {
      return current;
    }
    synchronized (entry) {
      if (!fresh(entry.credentials)) {
        entry.credentials = assumer.assume(roleArn);
      }
      return entry.credentials;
    }
  }

  /** Whether the next {@link #credentials(String)} for the role will call AssumeRole. */
  public boolean needsAssume(String roleArn) {
    Entry entry = entries.get(roleArn);
    return entry == null || !fresh(entry.credentials);
  }

  /** An SDK credentials provider for the role, backed by this cache. */
  public AwsCredentialsProvider provider(String roleArn) {
    return () -> credentials(roleArn).toAws();
  }

  private boolean fresh(RoleCredentials credentials) {
    return credentials != null
        && (credentials.expiration() == null || clock.instant().isBefore(credentials.expiration().minus(refreshBefore)));
  }
}
