package io.casefeed.common.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a route answers: a status, headers and a body held whole (every answer casefeed serves is
 * small enough). The server adds the security headers that fit the content type.
 */
public final class WebReply {

  private final int status;
  private final String contentType;
  private final byte[] body;
  private final Map<String, List<String>> headers = new LinkedHashMap<>();

  private WebReply(int status, String contentType, byte[] body) {
    this.status = status;
    this.contentType = contentType;
    this.body = body;
  }

  public static WebReply of(int status, String contentType, byte[] body) {
    return new WebReply(status, contentType, body);
  }

  public static WebReply of(int status, String contentType, String body) {
    return new WebReply(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  /** JSON (UTF-8). */
  public static WebReply json(int status, String json) {
    return of(status, "application/json; charset=utf-8", json);
  }

  public static WebReply text(int status, String text) {
    return of(status, "text/plain; charset=utf-8", text);
  }

  /** A status without a body. */
  public static WebReply empty(int status) {
    return new WebReply(status, null, new byte[0]);
  }

  /** Adds a header (a second value for the same name adds a second line). */
  public WebReply header(String name, String value) {
    headers.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
    return this;
  }

  public int status() {
    return status;
  }

  /** The content type, or null for none. */
  public String contentType() {
    return contentType;
  }

  public byte[] body() {
    return body;
  }

  public Map<String, List<String>> headers() {
    return headers;
  }

  boolean hasHeader(String name) {
    return headers.keySet().stream().anyMatch(key -> key.equalsIgnoreCase(name));
  }

  boolean isJson() {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    return type.startsWith("application/json") || type.startsWith("application/x-ndjson")
        || type.startsWith("application/x-amz-json") || type.startsWith("application/vnd.schemaregistry");
  }

  boolean isPage() {
    return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/html");
  }
}
