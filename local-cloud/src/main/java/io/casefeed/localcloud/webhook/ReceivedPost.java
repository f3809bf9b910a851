package io.casefeed.localcloud.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One POST the receiver got, whatever it answered.
 *
 * @param headers by lower-case name, in arrival order
 * @param status what the receiver answered (a scripted failure, or 200)
 */
public record ReceivedPost(long sequence, Instant receivedAt, String path, Map<String, List<String>> headers, byte[] body,
    int status) {

  public ReceivedPost {
    headers = Map.copyOf(headers);
  }

  /** The first value of a header, any case; null when absent. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Answered 2xx: the post the sender counts as delivered. */
  public boolean accepted() {
    return status >= 200 && status < 300;
  }
}
