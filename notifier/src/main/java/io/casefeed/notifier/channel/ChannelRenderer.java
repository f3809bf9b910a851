package io.casefeed.notifier.channel;

import io.casefeed.notifier.alert.AlertEvent;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** Turns one window's alert events for one group into the posts one kind of channel expects. */
interface ChannelRenderer {

  List<ChannelPost> render(ChannelTarget target, String group, Instant windowStart, List<AlertEvent> events,
      Function<String, String> accountNames);
}
