package io.casefeed.streams.topology;

/**
 * An input record after decoding: its value (null for a tombstone), or why it cannot be processed
 * together with the original value bytes for the dead-letter topic.
 */
record Decoded<T>(T value, byte[] rawValue, String reason) {

  static <T> Decoded<T> ok(T value) {
    return new Decoded<>(value, null, null);
  }

  static <T> Decoded<T> failed(byte[] rawValue, String reason) {
    return new Decoded<>(null, rawValue, reason);
  }

  boolean isFailed() {
    return reason != null;
  }
}
