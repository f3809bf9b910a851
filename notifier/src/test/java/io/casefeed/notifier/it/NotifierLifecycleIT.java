package io.casefeed.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.casefeed.common.component.ExitCodes;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code casefeed notifier} under the one lifecycle, in a JVM of its own: readiness, SIGTERM, exit codes. */
class NotifierLifecycleIT extends NotifierItSupport {

  @TempDir
  Path dir;

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void itReportsReadyOnceCaughtUpAndASigtermStopsItWithExit143() throws Exception {
    String prefix = topics("lifecycle-term");
    String group = "lifecycle" + Math.abs(prefix.hashCode() % 10_000);
    Map<String, String> properties = baseConfig(prefix, group, List.of(group + ".a@example.com"));
    int port = freePort();
    properties.put("ops.bind", "127.0.0.1");
    properties.put("ops.port", Integer.toString(port));
    try (NotifierProcess notifier = NotifierProcess.start(dir, properties, null)) {
      URI ready = URI.create("http://127.0.0.1:" + port + "/health/ready");
      await().atMost(NotifierProcess.startupAllowance()).ignoreExceptions()
          .until(() -> status(ready) == 200 || !notifier.isAlive());
      assertThat(notifier.isAlive()).as(notifier.stderr()).isTrue();
      assertThat(status(ready)).isEqualTo(200);

      assertThat(notifier.terminate()).as(notifier.stderr()).isEqualTo(ExitCodes.SIGTERM);
    }
  }

  @Test
  void aFailureOfItsLoopEndsTheProcessWithExit1() throws Exception {
    String prefix = topics("lifecycle-fail");
    String group = "lifecyclefail" + Math.abs(prefix.hashCode() % 10_000);
    Map<String, String> properties = baseConfig(prefix, group, List.of(group + ".a@example.com"));
    // No broker answers there: reading the ledger times out (after 60 s) and the loop fails.
    properties.put("kafka.bootstrap.servers", "127.0.0.1:" + freePort());
    try (NotifierProcess notifier = NotifierProcess.start(dir, properties, null)) {
      await().atMost(NotifierProcess.startupAllowance().plusSeconds(60)).until(() -> !notifier.isAlive());
      assertThat(notifier.exitValue()).as(notifier.stderr()).isEqualTo(ExitCodes.FAILURE);
      assertThat(notifier.stderr()).contains("notifier failed: ");
    }
  }

  private static int status(URI uri) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
