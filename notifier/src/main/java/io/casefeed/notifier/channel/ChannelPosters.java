package io.casefeed.notifier.channel;

import java.util.EnumMap;
import java.util.Map;

/** Hands each post to the poster of its target's kind: SNS publishes, every other kind is an HTTP POST. */
public final class ChannelPosters implements ChannelPoster, AutoCloseable {

  private final ChannelPoster http;
  private final Map<ChannelKind, ChannelPoster> byKind;

  /** @param byKind posters of the kinds that are not an HTTP POST */
  public ChannelPosters(ChannelPoster http, Map<ChannelKind, ChannelPoster> byKind) {
    this.http = http;
    this.byKind = byKind.isEmpty() ? Map.of() : new EnumMap<>(byKind);
  }

  @Override
  public String post(ChannelPost post) throws ChannelPostException {
    return byKind.getOrDefault(post.target().kind(), http).post(post);
  }

  /** Closes the posters that hold clients (SNS's); the JDK's HTTP client needs no closing. */
  @Override
  public void close() throws Exception {
    for (ChannelPoster poster : byKind.values()) {
      if (poster instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }
}
