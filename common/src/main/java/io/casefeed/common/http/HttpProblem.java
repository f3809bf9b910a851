package io.casefeed.common.http;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A request that cannot be answered as asked: thrown from a route, it becomes a JSON error reply
 * {@code {"error":"..."}} with its status; the same shape the layer uses for its own refusals
 * (404, 405, 413, 421, 431, 503).
 */
public final class HttpProblem extends RuntimeException {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int status;

  public HttpProblem(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public WebReply reply() {
    return reply(status, getMessage());
  }

  /** A JSON error reply. */
  public static WebReply reply(int status, String message) {
    return WebReply.json(status, body(message));
  }

  static String body(String message) {
    return JSON.createObjectNode().put("error", message == null ? "" : message).toString();
  }
}
