package io.casefeed.app.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.casefeed.common.config.CommonConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/** {@code casefeed check} believes a registry only when it answers like one, and never reads a huge body whole. */
class SetupCheckRegistryTest {

  private static final String URL = "http://registry:8081";

  @Test
  void aListOfSubjectsIsARegistry() {
    SetupCheck.Result result = SetupCheck.registryResult(URL, 200, "application/vnd.schemaregistry.v1+json",
        "[\"casefeed.case-changes-value\",\"casefeed.cases-value\"]".getBytes(StandardCharsets.UTF_8));
    assertThat(result.ok()).isTrue();
    assertThat(result.detail()).contains("2 subjects");
  }

  @Test
  void anHtmlPageIsNot() {
    SetupCheck.Result result = SetupCheck.registryResult(URL, 200, "text/html; charset=utf-8",
        "<html><body>Sign in</body></html>".getBytes(StandardCharsets.UTF_8));
    assertThat(result.ok()).isFalse();
    assertThat(result.detail()).contains("text/html").contains("not JSON");
  }

  @Test
  void jsonThatIsNotAListOfNamesIsNot() {
    assertThat(SetupCheck.registryResult(URL, 200, "application/json", "{\"error_code\":40101}".getBytes(StandardCharsets.UTF_8)).ok())
        .isFalse();
    assertThat(SetupCheck.registryResult(URL, 200, "application/json", "[1,2]".getBytes(StandardCharsets.UTF_8)).detail())
        .contains("NUMBER");
    assertThat(SetupCheck.registryResult(URL, 200, "", "garbage".getBytes(StandardCharsets.UTF_8)).detail())
        .contains("not JSON");
    assertThat(SetupCheck.registryResult(URL, 503, "application/json", new byte[0]).detail()).contains("HTTP 503");
  }

  @Test
  void aHugeReplyIsCutOffAfterTheCap() throws IOException {
    // 400 MB announced and streamed; the check must stop reading shortly after the cap.
    long announced = 400L * 1024 * 1024;
    AtomicLong written = new AtomicLong();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/subjects", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, announced);
      byte[] chunk = new byte[64 * 1024];
      java.util.Arrays.fill(chunk, (byte) ' ');
      try (OutputStream out = exchange.getResponseBody()) {
        for (long sent = 0; sent < announced; sent += chunk.length) {
          out.write(chunk);
          written.addAndGet(chunk.length);
        }
      } catch (IOException closedByTheCheck) {
        // The check hung up: what this test wants.
      }
    });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      CommonConfig config = new CommonConfig(CommonConfig.define(new ConfigDef()), Map.of(
          CommonConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1", CommonConfig.SCHEMA_REGISTRY_URL, url));

      SetupCheck check = new SetupCheck(config).schemaRegistry();

      assertThat(check.results()).singleElement().satisfies(result -> {
        assertThat(result.ok()).isFalse();
        assertThat(result.detail()).contains("more than " + SetupCheck.MAX_REGISTRY_REPLY_BYTES + " bytes");
      });
      assertThat(written.get()).isLessThan(announced / 4);
    } finally {
      server.stop(0);
    }
  }
}
