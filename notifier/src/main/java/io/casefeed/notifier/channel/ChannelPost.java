package io.casefeed.notifier.channel;

import java.nio.charset.StandardCharsets;

/**
 * One rendered post to one target, with the deterministic notification id that keys the ledger and
 * travels as the idempotency key (and as the CloudEvents id).
 *
 * @param period the alert window it belongs to (ISO-8601)
 * @param summary one line for the ledger and the logs, as a mail's subject
 */
public record ChannelPost(String notificationId, String group, ChannelTarget target, String period, String summary,
    String contentType, byte[] body) {

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
