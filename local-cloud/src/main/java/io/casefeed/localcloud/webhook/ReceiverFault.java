package io.casefeed.localcloud.webhook;

import java.time.Duration;

/**
 * How the receiver answers a post instead of (or before) 200: a status, an optional
 * {@code Retry-After} in seconds, and a delay before answering ("slow").
 *
 * @param status the status to answer; 200 for a slow but successful reply
 * @param retryAfterSeconds sent as {@code Retry-After} when not null
 */
public record ReceiverFault(int status, Integer retryAfterSeconds, Duration delay) {

  public ReceiverFault {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    delay = delay == null ? Duration.ZERO : delay;
  }

  public static ReceiverFault status(int status) {
    return new ReceiverFault(status, null, Duration.ZERO);
  }

  public static ReceiverFault throttled(int retryAfterSeconds) {
    return new ReceiverFault(429, retryAfterSeconds, Duration.ZERO);
  }

  public static ReceiverFault slow(Duration delay) {
    return new ReceiverFault(200, null, delay);
  }
}
