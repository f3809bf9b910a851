package io.casefeed.streams.notifications;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casefeed.schemas.privacy.PersonalData;
import java.time.Instant;

/** The query API's {@code /api/notifications}: the feed's state and every target, times in ISO-8601 UTC. */
public final class NotificationsJson {

  private NotificationsJson() {}

  /** @param feed null when the stream-processor does not follow the ledger ({@code query.notifications.enabled=false}) */
  public static ObjectNode of(ObjectMapper json, NotificationsFeed feed, PersonalData privacy) {
    ObjectNode root = json.createObjectNode();
    root.put("enabled", feed != null);
    root.put("reading", feed != null && feed.reading());
    root.put("waitingForRegistry", feed != null && feed.waitingForRegistry());
    root.put("lastRead", iso(feed == null ? null : feed.lastRead()));
    root.put("passedOver", feed == null ? 0 : feed.passedOver());
    ArrayNode targets = root.putArray("targets");
    if (feed == null) {
      return root;
    }
    for (RecentNotifications.Target target : feed.view().targets(privacy)) {
      ObjectNode node = targets.addObject();
      node.put("channel", target.channel());
      node.put("target", target.target());
      ObjectNode stages = node.putObject("stages");
      target.stages().forEach(stages::put);
      node.put("refusing", target.refusing());
      node.put("lastError", target.lastError());
      node.put("lastErrorAt", iso(target.lastErrorAt()));
      ArrayNode recent = node.putArray("recent");
      for (RecentNotifications.Entry entry : target.recent()) {
        recent.addObject().put("kind", entry.kind()).put("group", entry.group()).put("period", entry.period())
            .put("stage", entry.stage()).put("at", iso(entry.at())).put("error", entry.error());
      }
    }
    return root;
  }

  private static String iso(Instant at) {
    return at == null ? null : at.toString();
  }
}
