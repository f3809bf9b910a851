package io.casefeed.streams.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The few Confluent Schema Registry calls the serdes make (register, lookup, schema by id), over
 * real HTTP, so that a streams app in its own JVM can share schemas with the test. Test-only.
 */
public final class TestSchemaRegistryServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final List<String> schemas = new ArrayList<>();
  private final Map<String, Integer> idsBySubjectAndSchema = new HashMap<>();

  public TestSchemaRegistryServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private synchronized void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String[] parts = path.substring(1).split("/");
    int status = 200;
    String body;
    if ("GET".equals(exchange.getRequestMethod()) && parts.length == 3 && parts[0].equals("schemas") && parts[1].equals("ids")) {
      int id = Integer.parseInt(parts[2]);
      if (id >= 1 && id <= schemas.size()) {
        body = JSON.createObjectNode().put("schema", schemas.get(id - 1)).toString();
      } else {
        status = 404;
        body = JSON.createObjectNode().put("error_code", 40403).put("message", "Schema not found").toString();
      }
    } else if ("POST".equals(exchange.getRequestMethod()) && parts.length >= 2 && parts[0].equals("subjects")) {
      String subject = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      String schema = request.path("schema").asText();
      // Canonical form, so that the same schema from another JVM gets the same id.
      String canonical = new org.apache.avro.Schema.Parser().parse(schema).toString();
      String key = subject + "\u0000" + canonical;
      Integer id = idsBySubjectAndSchema.get(key);
      boolean register = parts.length == 3 && parts[2].equals("versions");
      if (id == null && register) {
        int existing = schemas.indexOf(canonical);
        if (existing < 0) {
          schemas.add(canonical);
          id = schemas.size();
        } else {
          id = existing + 1;
        }
        idsBySubjectAndSchema.put(key, id);
      }
      if (id == null) {
        status = 404;
        body = JSON.createObjectNode().put("error_code", 40403).put("message", "Schema not found").toString();
      } else {
        body = JSON.createObjectNode().put("id", id).toString();
      }
    } else {
      status = 404;
      body = JSON.createObjectNode().put("error_code", 404).put("message", "not supported here").toString();
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
