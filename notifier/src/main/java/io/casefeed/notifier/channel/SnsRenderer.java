package io.casefeed.notifier.channel;

import io.casefeed.notifier.alert.AlertEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * An SNS message per alert event: the body is the generic webhook's CloudEvents JSON (one format for
 * every machine reader, {@code id} the notification id), and message attributes carry what a
 * subscription's filter policy selects on without parsing it: {@code severity}, {@code change},
 * {@code account_id} and {@code group}. The order key is the case id (the account for an account
 * alert), the MessageGroupId of a FIFO topic, so one case's alerts arrive in order.
 */
final class SnsRenderer implements ChannelRenderer {

  static final String SEVERITY = "severity";
  static final String CHANGE = "change";
  static final String ACCOUNT_ID = "account_id";
  static final String GROUP = "group";
  /** An account alert has no case and so no severity; filter policies still need a value to match on. */
  static final String NO_SEVERITY = "none";

  private final CloudEventRenderer events;

  SnsRenderer(CloudEventRenderer events) {
    this.events = events;
  }

  @Override
  public List<ChannelPost> render(ChannelTarget target, String group, Instant windowStart, List<AlertEvent> alerts,
      Function<String, String> accountNames) {
    List<ChannelPost> posts = new ArrayList<>();
    for (AlertEvent event : alerts) {
      // One event at a time: CloudEventRenderer makes one post per event, with this event's id.
      ChannelPost cloudEvent = events.render(target, group, windowStart, List.of(event), accountNames).get(0);
      Map<String, String> attributes = new LinkedHashMap<>();
      attributes.put(SEVERITY, severity(event));
      attributes.put(CHANGE, AlertItem.changeName(event.kind()));
      attributes.put(ACCOUNT_ID, event.accountId());
      attributes.put(GROUP, group);
      String orderKey = event.details() != null && event.details().caseId() != null
          ? event.details().caseId() : "account-" + event.accountId();
      posts.add(new ChannelPost(cloudEvent.notificationId(), group, target, cloudEvent.period(), cloudEvent.summary(),
          "application/json", cloudEvent.body(), attributes, orderKey));
    }
    return posts;
  }

  private static String severity(AlertEvent event) {
    if (event.details() == null || event.details().severity() == null) {
      return NO_SEVERITY;
    }
    return event.details().severity().toLowerCase(Locale.ROOT);
  }
}
