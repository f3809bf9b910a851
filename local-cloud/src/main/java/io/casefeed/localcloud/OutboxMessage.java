package io.casefeed.localcloud;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A mail SES accepted: what was sent and to whom, as the MIME bytes a recipient would get. */
public record OutboxMessage(
    String messageId, String from, List<String> to, byte[] rawMime, Map<String, String> tags, Instant sentAt) {

  public OutboxMessage {
    to = List.copyOf(to);
    tags = Map.copyOf(tags);
  }
}
