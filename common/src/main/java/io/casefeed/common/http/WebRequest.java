package io.casefeed.common.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;

/** One request as a route sees it: method, path, query, headers and the body, already read and bounded. */
public final class WebRequest {

  private final Request request;
  private final byte[] body;
  private final Map<String, String> pathParams;
  private QueryString query;

  WebRequest(Request request, byte[] body, Map<String, String> pathParams) {
    this.request = request;
    this.body = body;
    this.pathParams = pathParams;
  }

  /** The method, upper case ({@code HEAD} is answered by the {@code GET} route). */
  public String method() {
    return request.getMethod();
  }

  /** The decoded path. */
  public String path() {
    return request.getHttpURI().getDecodedPath();
  }

  /** The path as sent, still percent-encoded. */
  public String rawPath() {
    return request.getHttpURI().getPath();
  }

  /** The query string as sent (without {@code ?}), or null. */
  public String rawQuery() {
    return request.getHttpURI().getQuery();
  }

  public QueryString query() {
    if (query == null) {
      query = QueryString.parse(rawQuery());
    }
    return query;
  }

  /** The part of the path a prefix route matched after its prefix (decoded), or "" for exact routes. */
  public String pathRest() {
    return pathParams.getOrDefault("*", "");
  }

  /** The first value of a header, or null. */
  public String header(String name) {
    return request.getHeaders().get(name);
  }

  /** Every value of a header, in order. */
  public List<String> headers(String name) {
    return request.getHeaders().getValuesList(name);
  }

  /** Every header line as sent, in order. */
  public List<HttpField> headerFields() {
    HttpFields fields = request.getHeaders();
    return fields.stream().toList();
  }

  public byte[] body() {
    return body;
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The client's address, for logs. */
  public String remoteAddress() {
    SocketAddress address = request.getConnectionMetaData().getRemoteSocketAddress();
    return address instanceof InetSocketAddress inet ? inet.getHostString() : String.valueOf(address);
  }
}
