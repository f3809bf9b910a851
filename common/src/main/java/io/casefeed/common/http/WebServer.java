package io.casefeed.common.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP server every casefeed component and stand-in runs: routes by method and path to
 * {@link Route}s that turn a {@link WebRequest} into a {@link WebReply}, on Jetty core, with the
 * same defences everywhere (see {@link HttpLimits}): a bounded thread pool, a bounded number of
 * requests at once (503 past a short wait), header and body size limits (431, 413), a header
 * timeout against clients that send a byte now and then, and, when bound to loopback, a
 * {@code Host} check (421) so a web page cannot reach the server through DNS rebinding. Every
 * reply carries {@code X-Content-Type-Options: nosniff}; JSON is not cached; pages may not be framed.
 */
public final class WebServer implements AutoCloseable {

  /** Threads Jetty keeps for itself: one acceptor and one selector. */
  static final int LEASED_THREADS = 2;

  private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
  private static final String JSON = "application/json; charset=utf-8";

  /** Answers one request. */
  @FunctionalInterface
  public interface Route {
    WebReply handle(WebRequest request) throws Exception;
  }

  private final String name;
  private final String host;
  private final Server server;
  private final ServerConnector connector;
  private final List<Binding> bindings;
  private final Function<Exception, WebReply> errors;
  private final HttpLimits limits;
  private final HeaderDeadline deadline;
  private final ScheduledExecutorService sweeper;
  private final boolean checkHost;
  private volatile Set<String> allowedHosts = Set.of();

  private WebServer(Builder builder) {
    this.name = builder.name;
    this.host = builder.host;
    this.limits = builder.limits;
    this.bindings = List.copyOf(builder.bindings);
    this.errors = builder.errors;
    this.checkHost = builder.checkHost == null ? isLoopback(builder.host) : builder.checkHost;
    this.deadline = new HeaderDeadline(limits.headerTimeout().toNanos());

    // The pool's own queue stays unbounded (it also carries Jetty's network work, which must not be
    // dropped); requests are bounded by the QoS handler below, which answers 503 past its queue.
    QueuedThreadPool threads = new QueuedThreadPool(limits.maxThreads(), Math.min(limits.maxThreads(), 4), 60_000);
    threads.setReservedThreads(0);
    threads.setName(name + "-http");
    threads.setDaemon(true);
    server = new Server(threads);

    HttpConfiguration config = new HttpConfiguration();
    config.setRequestHeaderSize(limits.maxRequestHeaderBytes());
    config.setSendServerVersion(false);
    config.setSendXPoweredBy(false);
    // Jetty's per-connection cache of header fields pays off for browsers repeating the same headers;
    // SigV4 clients (the stand-ins' callers) send a new date, signature and invocation id on every
    // request, so the cache filled and was cleared over and over (a quarter of the stand-in's request
    // parsing in bench sweep). Off: headers are parsed as they come, which is all these servers need.
    config.setHeaderCacheSize(0);
    config.setIdleTimeout(limits.idleTimeout().toMillis());
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
    connector.setHost(builder.host);
    connector.setPort(builder.port);
    connector.setIdleTimeout(limits.idleTimeout().toMillis());
    connector.addEventListener(deadline);
    server.addConnector(connector);

    QoSHandler qos = new QoSHandler(new Dispatch());
    qos.setMaxRequestCount(limits.maxActiveRequests());
    qos.setMaxSuspendedRequestCount(limits.maxWaitingRequests());
    qos.setMaxSuspend(limits.maxWait());
    server.setHandler(qos);
    server.setErrorHandler(new ProblemErrors());

    sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, name + "-http-deadlines");
      thread.setDaemon(true);
      return thread;
    });
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Starts listening; throws if the address is taken. */
  public WebServer start() {
    try {
      server.start();
    } catch (Exception e) {
      close();
      throw new UncheckedIOException("cannot listen on " + host + ":" + connector.getPort() + " for " + name,
          e instanceof IOException io ? io : new IOException(e));
    }
    int port = connector.getLocalPort();
    Set<String> allowed = new LinkedHashSet<>();
    for (String loopback : List.of("localhost", "127.0.0.1", "[::1]", host.toLowerCase(Locale.ROOT))) {
      allowed.add(loopback + ":" + port);
      if (port == 80) {
        allowed.add(loopback);
      }
    }
    allowedHosts = Set.copyOf(allowed);
    long period = Math.max(50, limits.headerTimeout().toMillis() / 4);
    sweeper.scheduleWithFixedDelay(deadline::sweep, period, period, TimeUnit.MILLISECONDS);
    return this;
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** {@code http://host:port}, with the address the server is bound to. */
  public String url() {
    String shown = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + shown + ":" + port();
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("{}: HTTP server did not stop cleanly", name, e);
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private Binding match(String method, String path, Set<String> allowedMethods) {
    String wanted = method.equals("HEAD") ? "GET" : method;
    Binding found = null;
    for (Binding binding : bindings) {
      if (!binding.matches(path)) {
        continue;
      }
      allowedMethods.add(binding.method);
      boolean methodOk = binding.method.equals("*") || binding.method.equals(wanted);
      if (methodOk && (found == null || binding.specificity() > found.specificity())) {
        found = binding;
      }
    }
    return found;
  }

  /** Routes one request; runs inside the QoS limit. */
  private final class Dispatch extends Handler.Abstract {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      var connection = request.getConnectionMetaData().getConnection();
      deadline.reading(connection);
      Callback done = Callback.from(() -> {
        deadline.idle(connection);
        callback.succeeded();
      }, failure -> {
        deadline.idle(connection);
        callback.failed(failure);
      });
      WebReply reply;
      try {
        reply = answer(request, connection);
      } catch (HttpProblem problem) {
        reply = problem.reply();
      } catch (Exception e) {
        reply = errors.apply(e);
        if (reply == null) {
          LOG.warn("{}: {} {} failed", name, request.getMethod(), request.getHttpURI().getPath(), e);
          reply = HttpProblem.reply(500, "internal error: " + e);
        }
      }
      write(request, response, reply, done);
      return true;
    }

    private WebReply answer(Request request, org.eclipse.jetty.io.Connection connection) throws Exception {
      if (checkHost) {
        String hostHeader = request.getHeaders().get(HttpHeader.HOST);
        if (hostHeader != null && !allowedHosts.contains(hostHeader.toLowerCase(Locale.ROOT))) {
          throw new HttpProblem(421, "this server answers only to " + new TreeSet<>(allowedHosts)
              + " (it is bound to loopback), not to Host " + hostHeader);
        }
      }
      String path = request.getHttpURI().getDecodedPath();
      Set<String> allowedMethods = new TreeSet<>();
      Binding binding = match(request.getMethod(), path, allowedMethods);
      if (binding == null) {
        if (allowedMethods.isEmpty()) {
          throw new HttpProblem(404, "no such endpoint: " + path);
        }
        return HttpProblem.reply(405, request.getMethod() + " is not allowed on " + path)
            .header("Allow", String.join(", ", allowedMethods));
      }
      byte[] body = readBody(request);
      deadline.handling(connection);
      Map<String, String> params = binding.prefix ? Map.of("*", path.substring(binding.path.length())) : Map.of();
      return Objects.requireNonNull(binding.route.handle(new WebRequest(request, body, params)),
          "route answered null");
    }

    private byte[] readBody(Request request) throws IOException {
      long max = limits.maxBodyBytes();
      long declared = request.getLength();
      if (declared > max) {
        throw new HttpProblem(413, "request body of " + declared + " bytes is over the limit of " + max);
      }
      if (declared == 0) {
        return new byte[0];
      }
      try (InputStream in = Content.Source.asInputStream(request)) {
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        if (body.length > max) {
          throw new HttpProblem(413, "request body is over the limit of " + max + " bytes");
        }
        return body;
      }
    }
  }

  private static void write(Request request, Response response, WebReply reply, Callback callback) {
    response.setStatus(reply.status());
    HttpFields.Mutable headers = response.getHeaders();
    if (reply.contentType() != null) {
      headers.put(HttpHeader.CONTENT_TYPE, reply.contentType());
    }
    reply.headers().forEach((header, values) -> values.forEach(value -> headers.add(header, value)));
    secure(headers, reply.isJson(), reply.isPage(), reply.hasHeader("Cache-Control"));
    byte[] body = reply.body();
    boolean noBody = request.getMethod().equals("HEAD") || reply.status() == 204 || reply.status() == 304;
    if (reply.status() != 204 && reply.status() != 304) {
      headers.put(HttpHeader.CONTENT_LENGTH, body.length);
    }
    response.write(true, noBody || body.length == 0 ? null : ByteBuffer.wrap(body), callback);
  }

  private static void secure(HttpFields.Mutable headers, boolean json, boolean page, boolean cacheSet) {
    // Browsers must take the declared type at its word, never guess HTML out of a JSON answer.
    headers.put("X-Content-Type-Options", "nosniff");
    if (json && !cacheSet) {
      headers.put(HttpHeader.CACHE_CONTROL, "no-store");
    }
    if (page) {
      headers.put("X-Frame-Options", "DENY");
      String policy = headers.get("Content-Security-Policy");
      if (policy == null) {
        headers.put("Content-Security-Policy", "frame-ancestors 'none'");
      } else if (!policy.contains("frame-ancestors")) {
        headers.put("Content-Security-Policy", policy + "; frame-ancestors 'none'");
      }
    }
  }

  /** Jetty's own refusals (431, 400, 503 when saturated...) in the same JSON shape as the routes'. */
  private static final class ProblemErrors extends ErrorHandler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      int status = request.getAttribute(ERROR_STATUS) instanceof Integer code ? code : response.getStatus();
      String message = request.getAttribute(ERROR_MESSAGE) instanceof String text ? text : HttpStatus.getMessage(status);
      if (status == 503) {
        message = "too many requests at once; try again";
      }
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
      secure(response.getHeaders(), true, false, false);
      response.write(true, ByteBuffer.wrap(HttpProblem.body(message).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          callback);
      return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
      fields.put(HttpHeader.CONTENT_TYPE, JSON);
      fields.put("X-Content-Type-Options", "nosniff");
      String message = reason == null ? HttpStatus.getMessage(status) : reason;
      return ByteBuffer.wrap(HttpProblem.body(message).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private record Binding(String method, String path, boolean prefix, Route route) {
    boolean matches(String requestPath) {
      return prefix ? requestPath.startsWith(path) : requestPath.equals(path);
    }

    /** Exact paths first, then the longest prefix. */
    int specificity() {
      return prefix ? path.length() : Integer.MAX_VALUE;
    }
  }

  /** Collects the address, limits and routes of one server. */
  public static final class Builder {
    private final String name;
    private String host = "127.0.0.1";
    private int port;
    private HttpLimits limits = HttpLimits.DEFAULT;
    private Boolean checkHost;
    private final List<Binding> bindings = new ArrayList<>();
    private Function<Exception, WebReply> errors = e -> null;

    private Builder(String name) {
      this.name = name;
    }

    /** @param port 0 for any free port */
    public Builder bind(String host, int port) {
      this.host = host;
      this.port = port;
      return this;
    }

    public Builder limits(HttpLimits limits) {
      this.limits = limits;
      return this;
    }

    /** Overrides the Host check, on by default exactly when bound to a loopback address. */
    public Builder checkHost(boolean check) {
      this.checkHost = check;
      return this;
    }

    public Builder get(String path, Route route) {
      return route("GET", path, route);
    }

    public Builder post(String path, Route route) {
      return route("POST", path, route);
    }

    /** An exact path; method {@code *} for any. */
    public Builder route(String method, String path, Route route) {
      bindings.add(new Binding(method, path, false, route));
      return this;
    }

    /** Every path starting with {@code prefix}; the rest is {@link WebRequest#pathRest()}. */
    public Builder prefix(String method, String prefix, Route route) {
      bindings.add(new Binding(method, prefix, true, route));
      return this;
    }

    /**
     * Turns a route's exception into a reply (return null for the default: 500, logged).
     * {@link HttpProblem} never reaches it.
     */
    public Builder errors(Function<Exception, WebReply> errors) {
      this.errors = errors;
      return this;
    }

    public WebServer build() {
      bindings.sort(Comparator.comparing(Binding::path));
      return new WebServer(this);
    }

    /** Builds and starts. */
    public WebServer start() {
      return build().start();
    }
  }
}
