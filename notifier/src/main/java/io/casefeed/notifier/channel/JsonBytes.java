package io.casefeed.notifier.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writing a JSON tree cannot fail for lack of I/O; a failure here is a bug, not a channel's fault. */
final class JsonBytes {

  private JsonBytes() {}

  static byte[] of(ObjectMapper json, ObjectNode root) {
    try {
      return json.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }
}
