package io.casefeed.localcloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.localcloud.webhook.ReceivedPost;
import io.casefeed.localcloud.webhook.ReceiverFault;
import io.casefeed.localcloud.webhook.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook receiver over real HTTP: records every POST, answers scripted failures, then 200 again. */
class WebhookReceiverIT {

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> post(String url, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("X-Test", "1").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void recordsEveryPostAndAnswersTheScriptedFaults(@TempDir Path folder) throws Exception {
    List<java.time.Duration> slept = new ArrayList<>();
    try (WebhookReceiver receiver = WebhookReceiver.start("127.0.0.1", 0, folder, Clock.systemUTC(), slept::add)) {
      String path = "/slack/services/T0/B0/x";
      receiver.failNext(path, 1, ReceiverFault.throttled(3));
      receiver.failNext(path, 1, ReceiverFault.status(502));
      receiver.failNext(path, 1, ReceiverFault.slow(java.time.Duration.ofMillis(1500)));
      HttpResponse<String> first = post(receiver.url(path), "{\"n\":1}");
      assertThat(first.statusCode()).isEqualTo(429);
      assertThat(first.headers().firstValue("Retry-After")).hasValue("3");
      assertThat(post(receiver.url(path), "{\"n\":2}").statusCode()).isEqualTo(502);
      assertThat(post(receiver.url(path), "{\"n\":3}").statusCode()).isEqualTo(200);
      assertThat(slept).contains(java.time.Duration.ofMillis(1500));
      HttpResponse<String> fine = post(receiver.url(path), "{\"n\":4}");
      assertThat(fine.statusCode()).isEqualTo(200);
      assertThat(fine.body()).isEqualTo("ok");

      receiver.failAlways("/teams", ReceiverFault.status(404));
      assertThat(post(receiver.url("/teams"), "{}").statusCode()).isEqualTo(404);
      assertThat(post(receiver.url("/teams"), "{}").statusCode()).isEqualTo(404);

      // Scripted over HTTP too.
      HttpResponse<String> scripted = http.send(HttpRequest.newBuilder(
              URI.create(receiver.url("/_receiver/faults?path=/hook&status=500&times=1")))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(scripted.statusCode()).isEqualTo(204);
      assertThat(post(receiver.url("/hook"), "{}").statusCode()).isEqualTo(500);
      assertThat(post(receiver.url("/hook"), "{}").statusCode()).isEqualTo(200);

      List<ReceivedPost> posts = receiver.posts(path);
      assertThat(posts).extracting(ReceivedPost::status).containsExactly(429, 502, 200, 200);
      assertThat(posts).extracting(ReceivedPost::bodyText).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
      assertThat(posts.get(0).header("x-test")).isEqualTo("1");
      assertThat(receiver.accepted(path)).hasSize(2);
      assertThat(receiver.posts()).hasSize(8);
      try (var files = Files.list(folder)) {
        assertThat(files.count()).isEqualTo(8);
      }
      String listed = http.send(HttpRequest.newBuilder(URI.create(receiver.url("/_receiver/posts"))).GET().build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(listed).contains("\"path\":\"/teams\"").contains("\"status\":404").contains("{\\\"n\\\":3}");
    }
  }

  @Test
  void chatPostMessageAnswersAsSlacksWebApiWithRisingTs() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      String url = receiver.url("/slack/api/chat.postMessage");
      var json = new com.fasterxml.jackson.databind.ObjectMapper();
      HttpResponse<String> unauthenticated = post(url, "{\"channel\":\"C1\",\"text\":\"x\"}");
      assertThat(unauthenticated.statusCode()).isEqualTo(200);
      assertThat(json.readTree(unauthenticated.body()).path("ok").asBoolean()).isFalse();
      assertThat(json.readTree(unauthenticated.body()).path("error").asText()).isEqualTo("not_authed");

      List<String> ts = new ArrayList<>();
      for (String body : List.of("{\"channel\":\"C1\",\"text\":\"first\"}", "{\"channel\":\"C1\",\"text\":\"reply\",\"thread_ts\":\"T\"}")) {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer xoxb-1")
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        var reply = json.readTree(answer.body());
        assertThat(reply.path("ok").asBoolean()).as(answer.body()).isTrue();
        assertThat(reply.path("channel").asText()).isEqualTo("C1");
        ts.add(reply.path("ts").asText());
      }
      assertThat(ts.get(0)).matches("\\d+\\.\\d{6}");
      assertThat(ts.get(1)).isNotEqualTo(ts.get(0));
      assertThat(new java.math.BigDecimal(ts.get(1))).isGreaterThan(new java.math.BigDecimal(ts.get(0)));
      HttpResponse<String> noChannel = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer xoxb-1")
          .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"x\"}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(json.readTree(noChannel.body()).path("error").asText()).isEqualTo("channel_not_found");
      assertThat(receiver.posts("/slack/api/chat.postMessage")).hasSize(4);
    }
  }
}
