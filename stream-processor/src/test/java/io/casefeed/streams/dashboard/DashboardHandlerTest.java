package io.casefeed.streams.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DashboardHandlerTest {

  HttpServer server;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", new DashboardHandler());
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
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
    assertThat(get("/dashboard/..%2F..%2Flogback.xml").statusCode()).isEqualTo(404);
    assertThat(get("/etc/passwd").statusCode()).isEqualTo(404);
  }
}
