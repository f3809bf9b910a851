package io.casefeed.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of local-cloud's S3 that the sink is pointed at. While a fault is on, every new
 * connection is answered with a 503 SlowDown, closed before the request reaches the store, or passed
 * to the store with its reply thrown away (the store did the work, the sink never hears it). Turning a
 * fault on cuts the open keep-alive connections, so it takes effect at once.
 */
final class S3FaultProxy implements AutoCloseable {

  enum Mode { PASS, SLOW_DOWN_503, DROP_BEFORE_STORE, DROP_AFTER_STORE }

  private static final byte[] SLOW_DOWN_BODY = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
      + "<Message>Please reduce your request rate.</Message></Error>").getBytes(StandardCharsets.UTF_8);

  private final ServerSocket server;
  private final InetSocketAddress upstream;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong faultedConnections = new AtomicLong();
  private volatile Mode mode = Mode.PASS;
  private volatile boolean closed;

  S3FaultProxy(URI upstreamEndpoint) throws IOException {
    this.upstream = new InetSocketAddress(upstreamEndpoint.getHost(), upstreamEndpoint.getPort());
    this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "s3-fault-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  void mode(Mode newMode) {
    mode = newMode;
    if (newMode != Mode.PASS) {
      open.forEach(S3FaultProxy::closeQuietly);
    }
  }

  /** Connections answered by a fault instead of the store. */
  long faultedConnections() {
    return faultedConnections.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Thread handler = new Thread(() -> handle(client), "s3-fault-proxy-conn");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        if (!closed) {
          closeQuietly(server);
        }
        return;
      }
    }
  }

  private void handle(Socket client) {
    Mode now = mode;
    open.add(client);
    try {
      switch (now) {
        case PASS -> relay(client, true);
        case SLOW_DOWN_503 -> {
          faultedConnections.incrementAndGet();
          readRequestHead(client.getInputStream());
          OutputStream out = client.getOutputStream();
          out.write(("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: " + SLOW_DOWN_BODY.length
              + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(SLOW_DOWN_BODY);
          out.flush();
        }
        case DROP_BEFORE_STORE -> faultedConnections.incrementAndGet();
        case DROP_AFTER_STORE -> {
          faultedConnections.incrementAndGet();
          relay(client, false);
        }
      }
    } catch (IOException e) {
      // A cut connection is the point of this proxy.
    } finally {
      open.remove(client);
      closeQuietly(client);
    }
  }

  /** Pipes both ways; without {@code deliverReplies} the store's answer is swallowed and the client cut. */
  private void relay(Socket client, boolean deliverReplies) throws IOException {
    try (Socket store = new Socket()) {
      store.connect(upstream, 5_000);
      open.add(store);
      Thread upstreamPump = new Thread(() -> pump(client, store), "s3-fault-proxy-up");
      upstreamPump.setDaemon(true);
      upstreamPump.start();
      InputStream fromStore = store.getInputStream();
      OutputStream toClient = client.getOutputStream();
      byte[] buffer = new byte[16 * 1024];
      int read;
      while ((read = fromStore.read(buffer)) >= 0) {
        if (!deliverReplies) {
          return;
        }
        toClient.write(buffer, 0, read);
        toClient.flush();
      }
    } finally {
      open.removeIf(Socket::isClosed);
    }
  }

  private static void pump(Socket client, Socket store) {
    try {
      InputStream in = client.getInputStream();
      OutputStream out = store.getOutputStream();
      byte[] buffer = new byte[16 * 1024];
      int read;
      while ((read = in.read(buffer)) >= 0) {
        out.write(buffer, 0, read);
        out.flush();
      }
      store.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(store);
    }
  }

  /** Consumes the request line and headers, so the answer comes after the request as HTTP expects. */
  private static void readRequestHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    int b;
    while (matched < end.length && (b = in.read()) >= 0) {
      matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // already gone
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    open.forEach(S3FaultProxy::closeQuietly);
  }
}
