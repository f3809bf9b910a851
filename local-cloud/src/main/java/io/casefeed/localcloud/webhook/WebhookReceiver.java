package io.casefeed.localcloud.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casefeed.common.http.HttpLimits;
import io.casefeed.common.http.HttpProblem;
import io.casefeed.common.http.WebReply;
import io.casefeed.common.http.WebRequest;
import io.casefeed.common.http.WebServer;
import io.casefeed.common.time.Sleeper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpField;

/**
 * A stand-in for Slack's and Teams' incoming webhooks and for a customer's webhook endpoint: it
 * records every POST (path, headers, body, what it answered), as the SES outbox records mails, and
 * answers 200 {@code ok} unless told to fail. Failures are scripted per path, from tests in this JVM
 * or over HTTP: the next n posts answer a status (4xx, 5xx, 429 with {@code Retry-After}) or answer
 * late, or every post answers a status for good (a revoked webhook).
 *
 * <p>Admin, on the same port: {@code GET /_receiver/posts} lists the posts as JSON;
 * {@code POST /_receiver/faults?path=/slack&status=429&retryAfter=1&times=2&delayMs=0} scripts
 * failures ({@code times=0}: for good); {@code DELETE /_receiver/faults} clears them.
 */
public final class WebhookReceiver implements AutoCloseable {

  private static final String ADMIN = "/_receiver/";
  /** Slack's Web API method, answered as Slack does (under any path prefix, e.g. {@code /slack/api/chat.postMessage}). */
  public static final String CHAT_POST_MESSAGE = "/api/chat.postMessage";
  /** Chat and webhook posts are small; a generous limit still refuses a runaway sender. */
  private static final HttpLimits LIMITS = HttpLimits.DEFAULT.withMaxBodyBytes(1024 * 1024);

  private final Clock clock;
  private final Sleeper sleeper;
  private final Path folder;
  private final ObjectMapper json = new ObjectMapper();
  private final List<ReceivedPost> posts = new CopyOnWriteArrayList<>();
  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, Deque<ReceiverFault>> next = new HashMap<>();
  private final Map<String, ReceiverFault> always = new HashMap<>();
  private final WebServer server;

  private WebhookReceiver(String host, int port, Path folder, Clock clock, Sleeper sleeper) {
    this.clock = clock;
    this.sleeper = sleeper;
    this.folder = folder;
    if (folder != null) {
      try {
        Files.createDirectories(folder);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the receiver's folder " + folder, e);
      }
    }
    this.server = WebServer.builder("localcloud-webhooks").bind(host, port).limits(LIMITS)
        .get(ADMIN + "posts", request -> WebReply.json(200, postsJson()))
        .post(ADMIN + "faults", this::scriptFaults)
        .route("DELETE", ADMIN + "faults", request -> {
          clearFaults();
          return WebReply.empty(204);
        })
        .prefix("POST", "/", this::receive)
        .build();
  }

  /**
   * Starts a receiver on {@code host:port} (0 = any free port).
   *
   * @param folder where each post is also saved as {@code <sequence>.json}; null keeps them in memory only
   */
  public static WebhookReceiver start(String host, int port, Path folder, Clock clock, Sleeper sleeper) {
    WebhookReceiver receiver = new WebhookReceiver(host, port, folder, clock, sleeper);
    receiver.server.start();
    return receiver;
  }

  public static WebhookReceiver start() {
    return start("127.0.0.1", 0, null, Clock.systemUTC(), Sleeper.SYSTEM);
  }

  /** {@code http://127.0.0.1:port} plus {@code path}. */
  public String url(String path) {
    return server.url() + path;
  }

  public int port() {
    return server.port();
  }

  /** Every post so far, in arrival order, failed ones included. */
  public List<ReceivedPost> posts() {
    return List.copyOf(posts);
  }

  public List<ReceivedPost> posts(String path) {
    return posts.stream().filter(p -> p.path().equals(path)).toList();
  }

  /** The posts to {@code path} answered 2xx: what the sender got through. */
  public List<ReceivedPost> accepted(String path) {
    return posts(path).stream().filter(ReceivedPost::accepted).toList();
  }

  /** The next {@code times} posts to {@code path} get {@code fault}, then the receiver answers 200 again. */
  public synchronized void failNext(String path, int times, ReceiverFault fault) {
    Deque<ReceiverFault> queue = next.computeIfAbsent(path, p -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      queue.add(fault);
    }
  }

  /** Every post to {@code path} gets {@code fault} until {@link #clearFaults()}: a revoked webhook. */
  public synchronized void failAlways(String path, ReceiverFault fault) {
    always.put(path, fault);
  }

  public synchronized void clearFaults() {
    next.clear();
    always.clear();
  }

  private synchronized ReceiverFault faultFor(String path) {
    Deque<ReceiverFault> queue = next.get(path);
    if (queue != null && !queue.isEmpty()) {
      return queue.poll();
    }
    return always.get(path);
  }

  private WebReply receive(WebRequest request) throws InterruptedException {
    String path = request.path();
    ReceiverFault fault = faultFor(path);
    int status = fault == null ? 200 : fault.status();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (HttpField field : request.headerFields()) {
      headers.computeIfAbsent(field.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(field.getValue());
    }
    ReceivedPost post = new ReceivedPost(sequence.incrementAndGet(), clock.instant(), path, headers, request.body(), status);
    posts.add(post);
    save(post);
    if (fault != null) {
      sleeper.sleep(fault.delay());
    }
    if (status >= 200 && status < 300) {
      return path.endsWith(CHAT_POST_MESSAGE) ? chatPostMessage(request, post) : WebReply.text(status, "ok");
    }
    WebReply reply = WebReply.text(status, status == 429 ? "rate_limited" : status == 404 ? "no_service" : "scripted failure " + status);
    if (fault.retryAfterSeconds() != null) {
      reply.header("Retry-After", Integer.toString(fault.retryAfterSeconds()));
    }
    return reply;
  }

  /**
   * Slack's Web API answers 200 with {@code ok} in the body: {@code false} and an error without a
   * bot token or a channel, else the message's {@code ts}, unique and rising (seconds of the
   * receiver's clock, the post's sequence as the fraction), which a thread reply names as {@code thread_ts}.
   */
  private WebReply chatPostMessage(WebRequest request, ReceivedPost post) {
    ObjectNode answer = json.createObjectNode();
    String authorization = post.header("Authorization");
    JsonNode body;
    try {
      body = json.readTree(post.body());
    } catch (IOException e) {
      body = null;
    }
    if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() <= "Bearer ".length()) {
      answer.put("ok", false).put("error", "not_authed");
    } else if (body == null || !body.path("channel").isTextual() || body.path("channel").asText().isBlank()) {
      answer.put("ok", false).put("error", "channel_not_found");
    } else {
      String ts = post.receivedAt().getEpochSecond() + "." + String.format(Locale.ROOT, "%06d", post.sequence() % 1_000_000);
      answer.put("ok", true).put("channel", body.path("channel").asText()).put("ts", ts);
      ObjectNode message = answer.putObject("message");
      message.put("type", "message").put("ts", ts).put("text", body.path("text").asText(""));
      if (body.path("thread_ts").isTextual()) {
        message.put("thread_ts", body.path("thread_ts").asText());
      }
    }
    try {
      return WebReply.of(200, "application/json; charset=utf-8", json.writeValueAsBytes(answer));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private WebReply scriptFaults(WebRequest request) {
    var query = request.query();
    String path = query.get("path");
    if (path == null || !path.startsWith("/")) {
      throw new HttpProblem(400, "path=/... is required");
    }
    try {
      int status = Integer.parseInt(query.get("status") == null ? "200" : query.get("status"));
      Integer retryAfter = query.get("retryAfter") == null ? null : Integer.valueOf(query.get("retryAfter"));
      Duration delay = Duration.ofMillis(query.get("delayMs") == null ? 0 : Long.parseLong(query.get("delayMs")));
      int times = query.get("times") == null ? 1 : Integer.parseInt(query.get("times"));
      ReceiverFault fault = new ReceiverFault(status, retryAfter, delay);
      if (times == 0) {
        failAlways(path, fault);
      } else {
        failNext(path, times, fault);
      }
    } catch (IllegalArgumentException e) {
      throw new HttpProblem(400, "bad fault: " + e.getMessage());
    }
    return WebReply.empty(204);
  }

  private String postsJson() throws IOException {
    ArrayNode list = json.createArrayNode();
    posts.forEach(p -> list.add(toJson(p)));
    return json.writeValueAsString(list);
  }

  private ObjectNode toJson(ReceivedPost post) {
    ObjectNode node = json.createObjectNode();
    node.put("sequence", post.sequence());
    node.put("receivedAt", post.receivedAt().toString());
    node.put("path", post.path());
    node.put("status", post.status());
    ObjectNode headers = node.putObject("headers");
    post.headers().forEach((name, values) -> headers.put(name, String.join(", ", values)));
    node.put("body", post.bodyText());
    node.put("bodyBase64", Base64.getEncoder().encodeToString(post.body()));
    return node;
  }

  private void save(ReceivedPost post) {
    if (folder == null) {
      return;
    }
    try {
      Files.write(folder.resolve(String.format(Locale.ROOT, "%08d.json", post.sequence())), json.writeValueAsBytes(toJson(post)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save post " + post.sequence(), e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
