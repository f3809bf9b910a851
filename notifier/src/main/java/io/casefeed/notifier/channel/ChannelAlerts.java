package io.casefeed.notifier.channel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.notifier.alert.AlertEvent;
import io.casefeed.notifier.delivery.Delivery;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A group's alerts of one window to each of its channel targets: filtered by the target, rendered
 * as its kind expects, each post through {@link ChannelDelivery}. A target that rejects or fails is
 * recorded and reported, and the next target is posted to all the same.
 */
public final class ChannelAlerts {

  private final ChannelDelivery delivery;
  private final Map<ChannelKind, ChannelRenderer> renderers = new EnumMap<>(ChannelKind.class);

  public ChannelAlerts(ChannelDelivery delivery, String consoleCaseUrl, ZoneId zone) {
    this.delivery = delivery;
    ObjectMapper json = new ObjectMapper();
    renderers.put(ChannelKind.WEBHOOK, new CloudEventRenderer(json, consoleCaseUrl));
    renderers.put(ChannelKind.SLACK, new SlackRenderer(json, consoleCaseUrl, zone));
    renderers.put(ChannelKind.TEAMS, new TeamsRenderer(json, consoleCaseUrl, zone));
    renderers.put(ChannelKind.SNS, new SnsRenderer(new CloudEventRenderer(json, consoleCaseUrl)));
  }

  /** What happened to each post, in order; empty when no target wanted any of the events. */
  public List<Delivery.Outcome> send(List<ChannelTarget> targets, String group, Instant windowStart, List<AlertEvent> events,
      Function<String, String> accountNames) throws InterruptedException {
    List<Delivery.Outcome> outcomes = new ArrayList<>();
    for (ChannelTarget target : targets) {
      if (!target.hours().contains(windowStart)) {
        continue; // outside the target's hours: the mail and the digest still carry these alerts
      }
      List<AlertEvent> wanted = events.stream().filter(target::accepts).toList();
      if (wanted.isEmpty()) {
        continue;
      }
      for (ChannelPost post : renderers.get(target.kind()).render(target, group, windowStart, wanted, accountNames)) {
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException("stopped while posting alerts of " + windowStart);
        }
        outcomes.add(delivery.deliver(post));
      }
    }
    return outcomes;
  }
}
