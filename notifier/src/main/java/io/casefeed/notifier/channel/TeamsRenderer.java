package io.casefeed.notifier.channel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casefeed.notifier.alert.AlertEvent;
import io.casefeed.notifier.render.CaseLine;
import io.casefeed.notifier.render.Formats;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Function;

/**
 * A window's alerts as one Adaptive Card for a Microsoft Teams Workflows webhook ("Post to a channel
 * when a webhook request is received"), in the {@code attachments} envelope that flow expects: a
 * {@code message} with one {@code application/vnd.microsoft.card.adaptive} attachment. Office 365
 * connectors (MessageCard) are retired, so no MessageCard is sent.
 */
final class TeamsRenderer implements ChannelRenderer {

  static final String CONTENT_TYPE = "application/json; charset=utf-8";
  static final String CARD_TYPE = "application/vnd.microsoft.card.adaptive";
  /** Teams refuses cards over about 28 KB; this many cases keep well below. */
  static final int MAX_CASES = 30;

  private final ObjectMapper json;
  private final String consoleCaseUrl;
  private final ZoneId zone;

  TeamsRenderer(ObjectMapper json, String consoleCaseUrl, ZoneId zone) {
    this.json = json;
    this.consoleCaseUrl = consoleCaseUrl;
    this.zone = zone;
  }

  @Override
  public List<ChannelPost> render(ChannelTarget target, String group, Instant windowStart, List<AlertEvent> events,
      Function<String, String> accountNames) {
    String summary = SlackRenderer.summary(group, events);
    ObjectNode root = json.createObjectNode();
    ArrayNode body = card(root).putArray("body");
    body.addObject().put("type", "TextBlock").put("text", summary).put("weight", "Bolder").put("size", "Medium")
        .put("wrap", true);
    body.addObject().put("type", "TextBlock").put("text", "Changes seen from " + Formats.dateTime(windowStart, zone))
        .put("isSubtle", true).put("wrap", true).put("spacing", "None");
    int shown = 0;
    for (AlertEvent event : events) {
      if (shown == MAX_CASES) {
        break;
      }
      shown++;
      body.add(container(AlertItem.of(event, accountNames, consoleCaseUrl)));
    }
    if (events.size() > shown) {
      body.addObject().put("type", "TextBlock").put("text", "… and " + (events.size() - shown) + " more").put("wrap", true);
    }
    return List.of(new ChannelPost(ChannelIds.alert(windowStart, group, target), group, target, windowStart.toString(), summary,
        CONTENT_TYPE, JsonBytes.of(json, root)));
  }

  /** Makes {@code root} the Workflows message envelope around one Adaptive Card, and returns the card. */
  static ObjectNode card(ObjectNode root) {
    root.put("type", "message");
    ObjectNode attachment = root.putArray("attachments").addObject();
    attachment.put("contentType", CARD_TYPE);
    attachment.putNull("contentUrl");
    ObjectNode card = attachment.putObject("content");
    card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
    card.put("type", "AdaptiveCard");
    card.put("version", "1.4");
    return card;
  }

  private ObjectNode container(AlertItem item) {
    ObjectNode container = json.createObjectNode();
    container.put("type", "Container");
    container.put("separator", true);
    ArrayNode items = container.putArray("items");
    CaseLine line = item.line();
    String heading = item.kindLabel() + ": " + item.title();
    if (line != null && line.consoleLink() != null) {
      heading = item.kindLabel() + ": [" + markdown(item.title()) + "](" + line.consoleLink() + ")";
    }
    items.addObject().put("type", "TextBlock").put("text", heading).put("weight", "Bolder").put("wrap", true);
    ArrayNode facts = items.addObject().put("type", "FactSet").putArray("facts");
    fact(facts, "Account", item.accountLabel());
    if (line != null) {
      fact(facts, "Subject", line.subject());
      fact(facts, "Severity", line.severity());
      fact(facts, "Status", line.status());
      fact(facts, "Service", line.service());
    }
    fact(facts, "What", item.event().description());
    return container;
  }

  private static void fact(ArrayNode facts, String title, String value) {
    if (value != null && !value.isEmpty()) {
      facts.addObject().put("title", title).put("value", value);
    }
  }

  /** Square brackets would end the link text early. */
  private static String markdown(String text) {
    return text.replace("[", "(").replace("]", ")");
  }
}
