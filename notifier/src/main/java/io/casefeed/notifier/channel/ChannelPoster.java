package io.casefeed.notifier.channel;

/** Posts one rendered message to its target; HTTP in production, a fake in unit tests. */
@FunctionalInterface
public interface ChannelPoster {

  /**
   * @return what the receiver answered, for the ledger (e.g. "HTTP 200")
   * @throws ChannelPostException classified, so the protocol knows whether to retry
   */
  String post(ChannelPost post) throws ChannelPostException;
}
