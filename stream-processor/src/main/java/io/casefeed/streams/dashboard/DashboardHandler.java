package io.casefeed.streams.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * Serves the dashboard page and its assets from the classpath ({@code /dashboard/*}); the page
 * itself reads the query API, so the same server answers both and nothing comes from the internet; the chart library
 * comes from its WebJar ({@link WebJarAssets}).
 */
public final class DashboardHandler implements HttpHandler {

  private static final Map<String, String> CONTENT_TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "png", "image/png",
      "svg", "image/svg+xml");

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String asset = path.equals("/") || path.equals("/dashboard") || path.equals("/dashboard/")
          ? "index.html" : path.substring(path.lastIndexOf('/') + 1);
      if (asset.isEmpty() || asset.contains("..") || !path.startsWith("/dashboard/") && !path.equals("/")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      String resource = WebJarAssets.resource(asset).orElse("/dashboard/" + asset);
      try (InputStream in = DashboardHandler.class.getResourceAsStream(resource)) {
        if (in == null) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        byte[] body = in.readAllBytes();
        String extension = asset.substring(asset.lastIndexOf('.') + 1);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPES.getOrDefault(extension, "application/octet-stream"));
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'self'");
        exchange.sendResponseHeaders(200, "HEAD".equals(exchange.getRequestMethod()) ? -1 : body.length);
        if (!"HEAD".equals(exchange.getRequestMethod())) {
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
      }
    }
  }
}
