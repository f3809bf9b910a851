package io.casefeed.notifier.channel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casefeed.notifier.alert.AlertEvent;
import io.casefeed.notifier.render.CaseLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The generic webhook's body: one CloudEvents 1.0 event in structured JSON mode per alert event,
 * {@code type} {@code io.casefeed.case.<change>} ({@code io.casefeed.account.unreadable} for an
 * account), {@code id} the deterministic notification id, {@code time} when the change was seen.
 */
final class CloudEventRenderer implements ChannelRenderer {

  static final String CONTENT_TYPE = "application/cloudevents+json; charset=utf-8";
  static final String SOURCE = "urn:casefeed:notifier";

  private final ObjectMapper json;
  private final String consoleCaseUrl;

  CloudEventRenderer(ObjectMapper json, String consoleCaseUrl) {
    this.json = json;
    this.consoleCaseUrl = consoleCaseUrl;
  }

  static String type(AlertEvent.Kind kind) {
    return kind == AlertEvent.Kind.ACCOUNT_UNREADABLE ? "io.casefeed.account.unreadable"
        : "io.casefeed.case." + AlertItem.changeName(kind);
  }

  @Override
  public List<ChannelPost> render(ChannelTarget target, String group, Instant windowStart, List<AlertEvent> events,
      Function<String, String> accountNames) {
    List<ChannelPost> posts = new ArrayList<>();
    for (AlertEvent event : events) {
      AlertItem item = AlertItem.of(event, accountNames, consoleCaseUrl);
      String id = ChannelIds.alertEvent(windowStart, group, target, event.id());
      ObjectNode root = json.createObjectNode();
      root.put("specversion", "1.0");
      root.put("type", type(event.kind()));
      root.put("source", SOURCE + ":" + group);
      root.put("id", id);
      root.put("time", event.at().toString());
      root.put("datacontenttype", "application/json");
      CaseLine line = item.line();
      if (line != null && line.displayId() != null) {
        root.put("subject", "case/" + line.displayId());
      } else if (line == null) {
        root.put("subject", "account/" + event.accountId());
      }
      ObjectNode data = root.putObject("data");
      data.put("change", item.change());
      data.put("description", event.description());
      data.put("group", group);
      data.put("window", windowStart.toString());
      ObjectNode account = data.putObject("account");
      account.put("id", event.accountId());
      account.put("name", item.accountName());
      if (line != null) {
        ObjectNode c = data.putObject("case");
        c.put("caseId", event.details().caseId());
        c.put("displayId", line.displayId());
        c.put("severity", line.severity());
        c.put("status", line.status());
        c.put("service", line.service());
        c.put("subject", line.subject());
        c.put("createdTime", line.createdTime());
        c.put("consoleLink", line.consoleLink());
      }
      String summary = type(event.kind()) + " " + item.title() + " in " + item.accountLabel();
      posts.add(new ChannelPost(id, group, target, windowStart.toString(), summary, CONTENT_TYPE, JsonBytes.of(json, root)));
    }
    return posts;
  }
}
