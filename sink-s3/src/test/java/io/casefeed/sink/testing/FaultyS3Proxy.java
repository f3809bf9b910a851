package io.casefeed.sink.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of an S3 server that misbehaves on purpose: it answers some PUTs with 503
 * SlowDown, drops some connections before forwarding the request, and drops others after the
 * server has handled it (the write landed, the client never hears so). Bytes are passed through
 * unchanged, so SigV4 signatures (which cover the Host header) stay valid. One request per
 * connection: it asks the server to close after each reply.
 */
public final class FaultyS3Proxy implements AutoCloseable {

  private final ServerSocket server;
  private final URI backend;
  private final Random random;
  private final double slowDownRate;
  private final double dropBeforeRate;
  private final double dropAfterRate;
  private final ExecutorService workers = Executors.newCachedThreadPool();
  public final AtomicInteger slowDowns = new AtomicInteger();
  public final AtomicInteger droppedBefore = new AtomicInteger();
  public final AtomicInteger droppedAfter = new AtomicInteger();
  private volatile boolean running = true;

  public FaultyS3Proxy(URI backend, long seed, double slowDownRate, double dropBeforeRate, double dropAfterRate) throws IOException {
    this.backend = backend;
    this.random = new Random(seed);
    this.slowDownRate = slowDownRate;
    this.dropBeforeRate = dropBeforeRate;
    this.dropAfterRate = dropAfterRate;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    workers.submit(this::acceptLoop);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  private void acceptLoop() {
    while (running) {
      try {
        Socket client = server.accept();
        workers.submit(() -> serve(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      String head = readHead(in);
      if (head == null) {
        return;
      }
      String method = head.substring(0, head.indexOf(' '));
      if (head.toLowerCase(Locale.ROOT).contains("\r\nexpect: 100-continue")) {
        // The client holds the body back until told to go on; the server never sees the Expect.
        client.getOutputStream().write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
      }
      byte[] body = in.readNBytes(contentLength(head));
      double dice;
      synchronized (random) {
        dice = random.nextDouble();
      }
      boolean put = method.equals("PUT");
      if (put && dice < slowDownRate) {
        slowDowns.incrementAndGet();
        byte[] error = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>"
            .getBytes(StandardCharsets.UTF_8);
        OutputStream out = client.getOutputStream();
        out.write(("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: " + error.length
            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(error);
        out.flush();
        return;
      }
      if (dice >= slowDownRate && dice < slowDownRate + dropBeforeRate) {
        droppedBefore.incrementAndGet();
        return;
      }
      boolean dropAfter = put && dice >= slowDownRate + dropBeforeRate && dice < slowDownRate + dropBeforeRate + dropAfterRate;
      try (Socket upstream = new Socket(backend.getHost(), backend.getPort())) {
        OutputStream up = upstream.getOutputStream();
        up.write(withConnectionClose(head).getBytes(StandardCharsets.ISO_8859_1));
        up.write(body);
        up.flush();
        byte[] reply = upstream.getInputStream().readAllBytes();
        if (dropAfter) {
          droppedAfter.incrementAndGet();
          return;
        }
        client.getOutputStream().write(reply);
        client.getOutputStream().flush();
      }
    } catch (IOException e) {
      // A client that gave up on us: nothing to do.
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while ((b = in.read()) != -1) {
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
      if (matched == 4) {
        return head.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    return 0;
  }

  private static String withConnectionClose(String head) {
    StringBuilder rewritten = new StringBuilder();
    for (String line : head.split("\r\n")) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (!line.isEmpty() && !lower.startsWith("connection:") && !lower.startsWith("expect:")) {
        rewritten.append(line).append("\r\n");
      }
    }
    return rewritten.append("Connection: close\r\n\r\n").toString();
  }

  @Override
  public void close() throws IOException {
    running = false;
    server.close();
    workers.shutdownNow();
  }
}
