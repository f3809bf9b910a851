package io.casefeed.notifier.alert;

import io.casefeed.notifier.render.CaseLine;
import io.casefeed.notifier.render.CaseTable;
import io.casefeed.notifier.render.Formats;
import io.casefeed.notifier.render.Html;
import io.casefeed.notifier.render.RenderedMail;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** One batching window's alerts for one group, as a mail. */
public final class AlertRenderer {

  private final String consoleCaseUrl;
  private final ZoneId zone;

  public AlertRenderer(String consoleCaseUrl, ZoneId zone) {
    this.consoleCaseUrl = consoleCaseUrl;
    this.zone = zone;
  }

  public RenderedMail render(String group, Instant windowStart, List<AlertEvent> events, Function<String, String> accountNames) {
    Map<AlertEvent.Kind, List<AlertEvent>> byKind = new EnumMap<>(AlertEvent.Kind.class);
    events.forEach(e -> byKind.computeIfAbsent(e.kind(), k -> new ArrayList<>()).add(e));
    List<String> counts = new ArrayList<>();
    byKind.forEach((kind, list) -> counts.add(kind.count(list.size())));
    String subject = "[casefeed] " + group + " alert: " + String.join(", ", counts);

    StringBuilder text = new StringBuilder();
    text.append("casefeed alert for ").append(group).append(", changes seen from ")
        .append(Formats.dateTime(windowStart, zone)).append('\n');
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(Html.escape(subject))
        .append("</title></head>\n<body style=\"font-family:Arial,Helvetica,sans-serif;color:#223;max-width:980px\">\n")
        .append("<h2>casefeed alert for ").append(Html.escape(group)).append("</h2>\n<p style=\"color:#556\">Changes seen from ")
        .append(Html.escape(Formats.dateTime(windowStart, zone))).append(".</p>\n");
    byKind.forEach((kind, list) -> {
      String kindLabel = kind.label(list.size());
      String title = kindLabel.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + kindLabel.substring(1);
      text.append('\n').append(title.toUpperCase(java.util.Locale.ROOT)).append(" (").append(list.size()).append(")\n");
      if (kind == AlertEvent.Kind.ACCOUNT_UNREADABLE) {
        html.append("<h3>").append(Html.escape(title)).append(" (").append(list.size()).append(")</h3>\n<ul>\n");
        for (AlertEvent e : list) {
          String name = accountNames.apply(e.accountId());
          String label = name == null ? e.accountId() : name + " (" + e.accountId() + ")";
          text.append("  - ").append(label).append(": ").append(e.description()).append('\n');
          html.append("<li><b>").append(Html.escape(label)).append("</b>: ").append(Html.escape(e.description())).append("</li>\n");
        }
        html.append("</ul>\n");
        return;
      }
      List<CaseLine> lines = list.stream()
          .map(e -> CaseLine.of(e.details(), accountNames.apply(e.accountId()), consoleCaseUrl, e.description()))
          .toList();
      for (CaseLine c : lines) {
        text.append("  - ").append(c.displayId() == null ? "?" : c.displayId()).append(" [").append(c.severity()).append(", ")
            .append(c.status()).append("] ").append(c.subject() == null ? "" : c.subject()).append('\n')
            .append("    ").append(c.accountLabel()).append(", ").append(c.note()).append('\n');
        if (c.consoleLink() != null) {
          text.append("    ").append(c.consoleLink()).append('\n');
        }
      }
      CaseTable.html(html, title, lines);
    });
    html.append("</body></html>\n");
    return new RenderedMail(subject, text.toString(), html.toString(), null, null);
  }
}
