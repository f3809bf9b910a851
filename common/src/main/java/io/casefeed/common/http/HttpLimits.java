package io.casefeed.common.http;

import java.time.Duration;

/**
 * What one {@link WebServer} will spend on its clients, so that slow or greedy ones cannot starve
 * the others: threads, requests handled at once, requests waiting, sizes and timeouts.
 *
 * @param maxThreads the server's own bounded thread pool (the selector and acceptor included)
 * @param maxActiveRequests requests handled at once; more wait, up to {@code maxWaitingRequests}
 * @param maxWaitingRequests requests waiting for a turn; past that, 503 at once
 * @param maxWait how long a waiting request waits before 503
 * @param maxRequestHeaderBytes past this, 431
 * @param maxBodyBytes past this, 413
 * @param headerTimeout a request's header and body must arrive within this, counted from the
 *     connection's opening or its previous reply: a client sending a byte now and then is cut off
 * @param idleTimeout a connection silent this long is closed
 */
public record HttpLimits(
    int maxThreads,
    int maxActiveRequests,
    int maxWaitingRequests,
    Duration maxWait,
    int maxRequestHeaderBytes,
    long maxBodyBytes,
    Duration headerTimeout,
    Duration idleTimeout) {

  /** For the query API, the dashboard and the stand-ins' endpoints. */
  public static final HttpLimits DEFAULT = new HttpLimits(16, 8, 64, Duration.ofSeconds(10), 16 * 1024, 1024 * 1024,
      Duration.ofSeconds(10), Duration.ofSeconds(30));

  /** For /health and /metrics: small, but never blocked by a slow client. */
  public static final HttpLimits OPS = new HttpLimits(6, 3, 16, Duration.ofSeconds(5), 8 * 1024, 16 * 1024,
      Duration.ofSeconds(5), Duration.ofSeconds(15));

  public HttpLimits {
    // Jetty leases one acceptor and one selector thread from the pool; the rest serve requests.
    if (maxThreads < maxActiveRequests + WebServer.LEASED_THREADS) {
      throw new IllegalArgumentException("maxThreads " + maxThreads + " leaves no room for " + maxActiveRequests
          + " active requests and " + WebServer.LEASED_THREADS + " network threads");
    }
    if (maxActiveRequests < 1 || maxWaitingRequests < 0 || maxRequestHeaderBytes < 1024 || maxBodyBytes < 0) {
      throw new IllegalArgumentException("invalid HTTP limits: " + this);
    }
    if (headerTimeout.isNegative() || headerTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("HTTP timeouts must be positive: " + this);
    }
  }

  public HttpLimits withMaxBodyBytes(long bytes) {
    return new HttpLimits(maxThreads, maxActiveRequests, maxWaitingRequests, maxWait, maxRequestHeaderBytes, bytes,
        headerTimeout, idleTimeout);
  }

  public HttpLimits withTimeouts(Duration header, Duration idle) {
    return new HttpLimits(maxThreads, maxActiveRequests, maxWaitingRequests, maxWait, maxRequestHeaderBytes, maxBodyBytes,
        header, idle);
  }

  public HttpLimits withConcurrency(int threads, int active, int waiting) {
    return new HttpLimits(threads, active, waiting, maxWait, maxRequestHeaderBytes, maxBodyBytes, headerTimeout, idleTimeout);
  }
}
