package io.casefeed.streams.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The third-party scripts the dashboard loads, served from their WebJars on the classpath: the version comes from
 * the WebJar's own {@code pom.properties}, so upgrading the library is a change of the pom only.
 */
final class WebJarAssets {

  /** Asset name under {@code /dashboard/} to (WebJar group, artifact, file inside the package). */
  private static final Map<String, String[]> ASSETS = Map.of(
      "chart.umd.js", new String[] {"org.webjars.npm", "chart.js", "dist/chart.umd.js"});

  private WebJarAssets() {
  }

  /** The classpath resource of a WebJar asset, or empty when {@code asset} is not one. */
  static Optional<String> resource(String asset) {
    String[] webJar = ASSETS.get(asset);
    if (webJar == null) {
      return Optional.empty();
    }
    return Optional.of("/META-INF/resources/webjars/" + webJar[1] + "/" + version(webJar[0], webJar[1]) + "/" + webJar[2]);
  }

  private static String version(String group, String artifact) {
    String path = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = WebJarAssets.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("the WebJar " + group + ":" + artifact + " is not on the classpath (" + path + ")");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
