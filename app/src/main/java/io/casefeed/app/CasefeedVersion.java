package io.casefeed.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** {@code casefeed --version}: the version Maven stamped into the jar's build-info resource, and Kafka's. */
public final class CasefeedVersion implements CommandLine.IVersionProvider {

  @Override
  public String[] getVersion() throws IOException {
    Properties info = new Properties();
    try (InputStream in = CasefeedVersion.class.getResourceAsStream("/casefeed-build.properties")) {
      if (in != null) {
        info.load(in);
      }
    }
    Properties kafka = new Properties();
    try (InputStream in = CasefeedVersion.class.getResourceAsStream("/kafka/kafka-version.properties")) {
      if (in != null) {
        kafka.load(in);
      }
    }
    return new String[] {
      "casefeed " + info.getProperty("version", "unknown"),
      "Kafka clients " + kafka.getProperty("version", "unknown") + ", Java " + System.getProperty("java.version")
    };
  }
}
