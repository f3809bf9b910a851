package io.casefeed.streams.dashboard;

import io.casefeed.common.http.HttpProblem;
import io.casefeed.common.http.WebReply;
import io.casefeed.common.http.WebRequest;
import io.casefeed.common.http.WebServer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Serves the dashboard page and its assets from the classpath ({@code /dashboard/*}); the page
 * itself reads the query API, so the same server answers both and nothing comes from the internet; the chart library
 * comes from its WebJar ({@link WebJarAssets}).
 */
public final class DashboardHandler implements WebServer.Route {

  private static final Map<String, String> CONTENT_TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "png", "image/png",
      "svg", "image/svg+xml");

  /** Adds the page ({@code /}, {@code /dashboard}) and its assets ({@code /dashboard/*}) to a server. */
  public void addTo(WebServer.Builder routes) {
    routes.get("/", this).get("/dashboard", this).prefix("GET", "/dashboard/", this);
  }

  @Override
  public WebReply handle(WebRequest request) throws IOException {
    String path = request.path();
    String asset = path.equals("/") || path.equals("/dashboard") || path.equals("/dashboard/")
        ? "index.html" : path.substring(path.lastIndexOf('/') + 1);
    // Only files of the dashboard folder itself, however the path is spelled.
    if (asset.isEmpty() || asset.contains("..") || !path.startsWith("/dashboard/") && !path.equals("/")
        && !path.equals("/dashboard")) {
      throw new HttpProblem(404, "no such page: " + path);
    }
    String resource = WebJarAssets.resource(asset).orElse("/dashboard/" + asset);
    try (InputStream in = DashboardHandler.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new HttpProblem(404, "no such page: " + path);
      }
      String extension = asset.substring(asset.lastIndexOf('.') + 1);
      // The server adds nosniff, and X-Frame-Options plus frame-ancestors on the page.
      return WebReply.of(200, CONTENT_TYPES.getOrDefault(extension, "application/octet-stream"), in.readAllBytes())
          .header("Cache-Control", "no-cache")
          .header("Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'self'");
    }
  }
}
