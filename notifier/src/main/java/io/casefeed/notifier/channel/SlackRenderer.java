package io.casefeed.notifier.channel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casefeed.notifier.alert.AlertEvent;
import io.casefeed.notifier.render.CaseLine;
import io.casefeed.notifier.render.Formats;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A window's alerts as one Slack message in Block Kit for an incoming webhook, or one message per
 * alert for the Web API ({@code chat.postMessage}, threaded per case by {@link SlackThreads}): a header, a section
 * per case (linked display id, severity and status, subject, account name and id, what happened)
 * and the window as context. {@code text} is the notification fallback Slack shows on phones.
 */
final class SlackRenderer implements ChannelRenderer {

  static final String CONTENT_TYPE = "application/json; charset=utf-8";
  /** Slack takes at most 50 blocks a message: a header, the cases, a context and a "more" line. */
  static final int MAX_CASES = 46;
  private static final int MAX_HEADER = 150;

  private final ObjectMapper json;
  private final String consoleCaseUrl;
  private final ZoneId zone;

  SlackRenderer(ObjectMapper json, String consoleCaseUrl, ZoneId zone) {
    this.json = json;
    this.consoleCaseUrl = consoleCaseUrl;
    this.zone = zone;
  }

  @Override
  public List<ChannelPost> render(ChannelTarget target, String group, Instant windowStart, List<AlertEvent> events,
      Function<String, String> accountNames) {
    if (!SlackThreads.threads(target)) {
      String summary = summary(group, events);
      return List.of(new ChannelPost(ChannelIds.alert(windowStart, group, target), group, target, windowStart.toString(), summary,
          CONTENT_TYPE, JsonBytes.of(json, message(summary, group, windowStart, events, accountNames))));
    }
    // Through the Web API each alert is a message of its own, so a case's later alerts can reply in its thread.
    List<ChannelPost> posts = new ArrayList<>();
    for (AlertEvent event : events) {
      String summary = summary(group, List.of(event));
      ObjectNode root = message(summary, group, windowStart, List.of(event), accountNames);
      root.put("channel", target.address());
      String key = event.details() != null && event.details().caseId() != null
          ? event.details().caseId() : "account-" + event.accountId();
      posts.add(new ChannelPost(ChannelIds.alertEvent(windowStart, group, target, event.id()), group, target,
          windowStart.toString(), summary, CONTENT_TYPE, JsonBytes.of(json, root), Map.of(), key));
    }
    return posts;
  }

  private ObjectNode message(String summary, String group, Instant windowStart, List<AlertEvent> events,
      Function<String, String> accountNames) {
    ObjectNode root = json.createObjectNode();
    root.put("text", summary);
    ArrayNode blocks = root.putArray("blocks");
    ObjectNode header = blocks.addObject();
    header.put("type", "header");
    header.putObject("text").put("type", "plain_text").put("text", cut(summary, MAX_HEADER));
    int shown = 0;
    for (AlertEvent event : events) {
      if (shown == MAX_CASES) {
        break;
      }
      shown++;
      AlertItem item = AlertItem.of(event, accountNames, consoleCaseUrl);
      blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", mrkdwn(item));
    }
    if (events.size() > shown) {
      blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
          .put("text", "_and " + (events.size() - shown) + " more, see the mail or the dashboard_");
    }
    ObjectNode context = blocks.addObject();
    context.put("type", "context");
    context.putArray("elements").addObject().put("type", "mrkdwn")
        .put("text", escape("casefeed · " + group + " · changes seen from " + Formats.dateTime(windowStart, zone)));
    return root;
  }

  /** "[casefeed] prod: 1 new case, 2 escalated", as a mail subject reads. */
  static String summary(String group, List<AlertEvent> events) {
    Map<AlertEvent.Kind, Integer> counts = new EnumMap<>(AlertEvent.Kind.class);
    events.forEach(e -> counts.merge(e.kind(), 1, Integer::sum));
    List<String> parts = new ArrayList<>();
    counts.forEach((kind, n) -> parts.add(kind.count(n)));
    return "[casefeed] " + group + ": " + String.join(", ", parts);
  }

  private static String mrkdwn(AlertItem item) {
    CaseLine line = item.line();
    if (line == null) {
      return ":warning: *" + escape(item.title()) + "*\n" + escape(item.event().description());
    }
    String id = escape(line.displayId() == null ? "?" : line.displayId());
    String linked = line.consoleLink() == null ? id : "<" + line.consoleLink().replace("|", "%7C").replace(">", "%3E") + "|" + id + ">";
    StringBuilder text = new StringBuilder()
        .append("*").append(escape(item.kindLabel())).append("* · case ").append(linked)
        .append(" · *").append(escape(String.valueOf(line.severity()))).append("* · ").append(escape(String.valueOf(line.status())));
    if (line.subject() != null) {
      text.append("\n").append(escape(line.subject()));
    }
    text.append("\n").append(escape(item.accountLabel())).append(" · ").append(escape(item.event().description()));
    return text.toString();
  }

  /** Slack's mrkdwn needs only these three escaped; anything else is shown as it is. */
  static String escape(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
