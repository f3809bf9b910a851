package io.casefeed.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebServerTest {

  private final HttpClient client = HttpClient.newHttpClient();
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closeable : closing) {
      closeable.close();
    }
  }

  private WebServer start(WebServer.Builder builder) {
    WebServer server = builder.start();
    closing.add(server);
    return server;
  }

  private static WebServer.Builder basic() {
    return WebServer.builder("test").bind("127.0.0.1", 0)
        .get("/health", request -> WebReply.json(200, "{\"status\":\"UP\"}"))
        .get("/page", request -> WebReply.of(200, "text/html; charset=utf-8", "<p>hi</p>")
            .header("Content-Security-Policy", "default-src 'self'"))
        .prefix("GET", "/items/", request -> WebReply.text(200, "item " + request.pathRest() + " " + request.query().get("q")))
        .post("/echo", request -> WebReply.of(200, "application/octet-stream", request.body()));
  }

  private HttpResponse<String> get(WebServer server, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends raw bytes and reads the whole answer (the request asks to close). */
  private static String raw(WebServer server, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void routesByMethodAndPath() throws Exception {
    WebServer server = start(basic());

    assertThat(get(server, "/health").body()).isEqualTo("{\"status\":\"UP\"}");
    assertThat(get(server, "/items/a%20b?q=x+y").body()).isEqualTo("item a b x y");
    HttpResponse<String> missing = get(server, "/nothing");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("\"error\"");
    HttpResponse<String> wrongMethod = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/health"))
        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET");
    HttpResponse<String> echoed = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/echo"))
        .POST(HttpRequest.BodyPublishers.ofString("body")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(echoed.body()).isEqualTo("body");
    HttpResponse<String> head = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/health"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void securityHeadersFitTheContent() throws Exception {
    WebServer server = start(basic());

    HttpResponse<String> json = get(server, "/health");
    assertThat(json.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(json.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(json.headers().firstValue("Server")).isEmpty();

    HttpResponse<String> page = get(server, "/page");
    assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
    assertThat(page.headers().firstValue("Content-Security-Policy")).contains("default-src 'self'; frame-ancestors 'none'");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
  }

  @Test
  void refusesBodiesAndHeadersOverTheLimits() throws Exception {
    WebServer server = start(basic().limits(HttpLimits.DEFAULT.withMaxBodyBytes(100)));

    HttpResponse<String> declared = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/echo"))
        .POST(HttpRequest.BodyPublishers.ofString("x".repeat(101))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(declared.body()).contains("\"error\"");

    String chunked = raw(server, "POST /echo HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
        + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + "c8\r\n" + "y".repeat(200) + "\r\n0\r\n\r\n");
    assertThat(chunked).startsWith("HTTP/1.1 413");

    HttpResponse<String> exactly = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/echo"))
        .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(exactly.statusCode()).isEqualTo(200);

    HttpResponse<String> bigHeader = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/health"))
        .header("X-Big", "z".repeat(20_000)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(bigHeader.statusCode()).isEqualTo(431);
  }

  @Test
  void onLoopbackAnswersOnlyToItsOwnNames() throws Exception {
    WebServer server = start(basic());
    int port = server.port();

    for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "LOCALHOST:" + port)) {
      assertThat(raw(server, "GET /health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n"))
          .as(host).startsWith("HTTP/1.1 200");
    }
    // What a page served from attacker.example sends once its name points at 127.0.0.1 (DNS rebinding).
    for (String host : List.of("attacker.example:" + port, "localhost:" + (port + 1), "127.0.0.1", "localhost.attacker.example:" + port)) {
      assertThat(raw(server, "GET /health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n"))
          .as(host).startsWith("HTTP/1.1 421").contains("\"error\"");
    }
  }

  @Test
  void boundBeyondLoopbackAcceptsAnyHost() throws Exception {
    WebServer server = start(basic().bind("0.0.0.0", 0));

    assertThat(raw(server, "GET /health HTTP/1.1\r\nHost: casefeed.internal.example\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 200");
  }

  @Test
  void answers503WhenSaturatedInsteadOfQueueingForEver() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    WebServer server = start(basic()
        .limits(HttpLimits.DEFAULT.withConcurrency(4, 1, 0))
        .get("/slow", request -> {
          entered.countDown();
          release.await(30, TimeUnit.SECONDS);
          return WebReply.text(200, "done");
        }));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    closing.add(pool::shutdownNow);
    Future<HttpResponse<String>> slow = pool.submit(() -> get(server, "/slow"));
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

    HttpResponse<String> refused = get(server, "/health");
    release.countDown();

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.body()).contains("too many requests");
    assertThat(slow.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(get(server, "/health").statusCode()).isEqualTo(200);
  }

  @Test
  void slowClientsAreCutOffAndDoNotBlockOthers() throws Exception {
    // Fewer threads than slow clients: were a trickling client to hold a thread, /health would starve.
    WebServer server = start(basic().limits(HttpLimits.OPS.withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(30))));
    int slowClients = 8;
    List<Socket> sockets = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService tricklers = Executors.newFixedThreadPool(slowClients);
    closing.add(tricklers::shutdownNow);
    List<Future<Boolean>> cutOff = new ArrayList<>();
    for (int i = 0; i < slowClients; i++) {
      Socket socket = new Socket("127.0.0.1", server.port());
      sockets.add(socket);
      closing.add(socket);
      cutOff.add(tricklers.submit(() -> trickleUntilCutOff(socket, server.port(), stop)));
    }

    // While they trickle, everybody else is served.
    for (int i = 0; i < 10; i++) {
      assertThat(get(server, "/health").statusCode()).isEqualTo(200);
      Thread.sleep(50);
    }

    // Each slow client is cut off although it keeps sending (a generous bound, not a timing assertion).
    for (Future<Boolean> each : cutOff) {
      assertThat(each.get(60, TimeUnit.SECONDS)).as("connection closed by the server").isTrue();
    }
    stop.set(true);
    assertThat(get(server, "/health").statusCode()).isEqualTo(200);
  }

  /** Sends a request header one byte every 100 ms; true once the server has closed the connection. */
  private static boolean trickleUntilCutOff(Socket socket, int port, AtomicBoolean stop) throws IOException {
    byte[] header = ("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nX-Padding: " + "p".repeat(10_000) + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    OutputStream out = socket.getOutputStream();
    InputStream in = socket.getInputStream();
    socket.setSoTimeout(1);
    for (int i = 0; i < header.length && !stop.get(); i++) {
      try {
        out.write(header[i]);
        out.flush();
      } catch (SocketException e) {
        return true;
      }
      try {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        int b = in.read();
        if (b < 0) {
          return true;
        }
        read.write(b);
      } catch (java.net.SocketTimeoutException e) {
        // Nothing from the server yet: keep trickling.
      } catch (SocketException e) {
        return true;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }
}
