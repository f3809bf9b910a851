package io.casefeed.sink.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.localcloud.registry.SchemaRegistryServer;
import io.casefeed.localcloud.registry.SchemaStore;
import java.io.IOException;
import java.nio.file.Files;

/** local-cloud's schema registry on a free port, so that a sink in its own JVM reads what the test wrote. */
public final class Registry {

  private Registry() {}

  public static SchemaRegistryServer start() throws IOException {
    ObjectMapper json = new ObjectMapper();
    return new SchemaRegistryServer(new SchemaStore(Files.createTempDirectory("sink-it-registry-"), json), json, 0);
  }
}
