package io.casefeed.streams.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.common.http.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DashboardHandlerTest {

  WebServer server;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    WebServer.Builder routes = WebServer.builder("dashboard-test").bind("127.0.0.1", 0);
    new DashboardHandler().addTo(routes);
    server = routes.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesThePageAndItsOwnAssetsOnly() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).contains("<script src=\"/dashboard/app.js\">").doesNotContain("https://");

    HttpResponse<String> script = get("/dashboard/app.js");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    // Links out (the AWS console) are fine; what the page loads must come from casefeed itself.
    assertThat(script.body()).contains("/api/pivot").contains("await fetch(path").doesNotContain("fetch('http").doesNotContain("import(");
    assertThat(get("/dashboard/style.css").headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
        assertThat(csp).contains("default-src 'self'"));

    assertThat(get("/dashboard/missing.js").statusCode()).isEqualTo(404);
    // Only files of the dashboard folder are ever served, however the path is spelled.
    assertThat(get("/dashboard/..%2F..%2Flogback.xml").statusCode()).isIn(400, 404);
    assertThat(get("/etc/passwd").statusCode()).isEqualTo(404);
  }

  @Test
  void thePageCannotBeFramedNorItsTypeSniffed() throws Exception {
    HttpResponse<String> page = get("/dashboard");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
        assertThat(csp).contains("frame-ancestors 'none'").contains("default-src 'self'"));
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }
}
