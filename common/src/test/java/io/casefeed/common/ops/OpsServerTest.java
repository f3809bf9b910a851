package io.casefeed.common.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OpsServerTest {

  final HttpClient http = HttpClient.newHttpClient();

  HttpResponse<String> get(OpsServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readinessFollowsItsPartsAndMetricsAreInPrometheusFormat() throws Exception {
    AtomicBoolean streamsRunning = new AtomicBoolean(false);
    try (OpsServer server = new OpsServer("127.0.0.1", 0).readiness("streams", streamsRunning::get).start()) {
      server.registry().counter("casefeed.test.events", "kind", "demo").increment(3);

      assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);
      assertThat(get(server, "/health/ready").statusCode()).isEqualTo(503);
      assertThat(get(server, "/health").body()).isEqualTo("{\"status\":\"DOWN\",\"parts\":{\"streams\":\"DOWN\"}}");
      streamsRunning.set(true);
      assertThat(get(server, "/health/ready").statusCode()).isEqualTo(200);

      String metrics = get(server, "/metrics").body();
      assertThat(metrics).contains("casefeed_test_events_total{kind=\"demo\"} 3.0").contains("jvm_memory_used_bytes");
    }
  }
}
