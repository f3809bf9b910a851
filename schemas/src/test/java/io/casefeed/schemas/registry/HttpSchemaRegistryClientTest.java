package io.casefeed.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class HttpSchemaRegistryClientTest {

  private static final Schema SCHEMA = Schema.create(Schema.Type.STRING);

  @Test
  void sendsOnceMoreWhenTheServerClosesTheConnectionWithoutAReply() throws Exception {
    // Drops the first connection after reading its request, as a server closing an idle kept-alive
    // connection does when the client reuses it; answers the next one.
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      AtomicInteger requests = new AtomicInteger();
      HttpSchemaRegistryClient client = clientOf(server, requests, 1);

      assertThat(client.register("topic-value", SCHEMA)).isEqualTo(7);
      assertThat(requests).hasValue(2);
    }
  }

  @Test
  void failsNamingTheRegistryWhenTheSecondTryFailsToo() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      AtomicInteger requests = new AtomicInteger();
      HttpSchemaRegistryClient client = clientOf(server, requests, 2);

      assertThatThrownBy(() -> client.register("topic-value", SCHEMA))
          .isInstanceOf(SchemaRegistryException.class)
          .hasMessageContaining("schema registry http://127.0.0.1:" + server.getLocalPort() + " unreachable");
      assertThat(requests).hasValue(2);
    }
  }

  /** A client of {@code server}, which a daemon thread serves as {@link #serve} says. */
  private static HttpSchemaRegistryClient clientOf(ServerSocket server, AtomicInteger requests, int dropped) {
    Thread serving = new Thread(() -> serve(server, requests, dropped), "registry-stub");
    serving.setDaemon(true);
    serving.start();
    return new HttpSchemaRegistryClient("http://127.0.0.1:" + server.getLocalPort());
  }

  /** Reads each request; closes the first {@code dropped} connections unanswered, answers the rest. */
  private static void serve(ServerSocket server, AtomicInteger requests, int dropped) {
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        int length = 0;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
          if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring("content-length:".length()).trim());
          }
        }
        in.skip(length);
        if (requests.incrementAndGet() <= dropped) {
          continue;
        }
        byte[] body = "{\"id\":7}".getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
      } catch (IOException e) {
        return;
      }
    }
  }
}
