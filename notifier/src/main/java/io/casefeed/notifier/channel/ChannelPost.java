package io.casefeed.notifier.channel;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One rendered post to one target, with the deterministic notification id that keys the ledger and
 * travels as the idempotency key (and as the CloudEvents id).
 *
 * @param period the alert window it belongs to (ISO-8601)
 * @param summary one line for the ledger and the logs, as a mail's subject
 * @param attributes what a receiver can filter on without reading the body (SNS message attributes); empty for HTTP
 * @param orderKey what the post's order matters within (the case id, or the account for an account alert): an SNS
 *     FIFO topic's MessageGroupId; null when the post covers many cases
 */
public record ChannelPost(String notificationId, String group, ChannelTarget target, String period, String summary,
    String contentType, byte[] body, Map<String, String> attributes, String orderKey) {

  public ChannelPost {
    attributes = Map.copyOf(attributes);
  }

  /** A post with nothing beside its body (the HTTP kinds). */
  public ChannelPost(String notificationId, String group, ChannelTarget target, String period, String summary,
      String contentType, byte[] body) {
    this(notificationId, group, target, period, summary, contentType, body, Map.of(), null);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
