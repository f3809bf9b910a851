package io.casefeed.localcloud.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casefeed.common.http.QueryString;
import io.casefeed.common.http.WebReply;
import io.casefeed.common.http.WebRequest;
import io.casefeed.common.http.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subset of Confluent Schema Registry's REST API that serializers and common tools use, on its
 * own port: subjects, versions, global ids, lookup, latest, BACKWARD compatibility checks and the
 * global config. Bound to 127.0.0.1.
 */
public final class SchemaRegistryServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private final SchemaStore store;
  private final ObjectMapper json;
  private final WebServer server;

  private final String advertisedHost;
  private volatile boolean outage;

  public SchemaRegistryServer(SchemaStore store, ObjectMapper json, int port) throws IOException {
    this(store, json, "127.0.0.1", "127.0.0.1", port);
  }

  public SchemaRegistryServer(SchemaStore store, ObjectMapper json, String bindAddress, String advertisedHost, int port)
      throws IOException {
    this.advertisedHost = advertisedHost;
    this.store = store;
    this.json = json;
    try {
      // One route for every path: the registry answers unknown paths in its own error shape.
      this.server = WebServer.builder("localcloud-registry").bind(bindAddress, port).prefix("*", "/", this::handle).start();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  public String url() {
    return "http://" + advertisedHost + ":" + server.port();
  }

  /**
   * While on, every request is answered 503 with an HTML page, as a registry behind a load balancer
   * with no healthy instance answers: the schema-registry outage of the fault suite.
   */
  public void outage(boolean on) {
    outage = on;
    LOG.info("schema registry outage {}", on ? "on: every request answered 503" : "over");
  }

  private WebReply handle(WebRequest request) throws IOException {
    if (outage) {
      return WebReply.of(503, "text/html; charset=utf-8",
          "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>".getBytes(StandardCharsets.UTF_8));
    }
    String method = request.method();
    String[] path = segments(request.rawPath());
    try {
      return reply(200, route(method, path, request.body()));
    } catch (RegistryException e) {
      ObjectNode error = json.createObjectNode();
      error.put("error_code", e.errorCode());
      error.put("message", e.getMessage());
      return reply(e.status(), error);
    } catch (RuntimeException e) {
      LOG.warn("schema registry failed on {} {}", method, request.rawPath(), e);
      ObjectNode error = json.createObjectNode();
      error.put("error_code", 50001);
      error.put("message", "Error in the backend data store: " + e.getMessage());
      return reply(500, error);
    }
  }

  private JsonNode route(String method, String[] path, byte[] body) {
    boolean get = "GET".equals(method);
    boolean post = "POST".equals(method);
    if (get && path.length == 1 && path[0].equals("subjects")) {
      return json.valueToTree(store.subjects());
    }
    if (path.length >= 2 && path[0].equals("subjects")) {
      String subject = path[1];
      if (post && path.length == 2) {
        return versionNode(store.lookup(subject, schemaOf(body)));
      }
      if (path.length >= 3 && path[2].equals("versions")) {
        if (post && path.length == 3) {
          ObjectNode reply = json.createObjectNode();
          reply.put("id", store.register(subject, schemaOf(body)));
          return reply;
        }
        if (get && path.length == 3) {
          return json.valueToTree(store.versions(subject));
        }
        if (get && path.length == 4) {
          return versionNode(store.version(subject, path[3]));
        }
        if (get && path.length == 5 && path[4].equals("schema")) {
          return readTree(store.version(subject, path[3]).schema());
        }
      }
    }
    if (get && path.length == 3 && path[0].equals("schemas") && path[1].equals("ids")) {
      ObjectNode reply = json.createObjectNode();
      try {
        reply.put("schema", store.schema(Integer.parseInt(path[2])));
      } catch (NumberFormatException e) {
        throw new RegistryException(404, 40403, "Schema " + path[2] + " not found");
      }
      return reply;
    }
    if (get && path.length == 2 && path[0].equals("schemas") && path[1].equals("types")) {
      return json.createArrayNode().add("AVRO");
    }
    if (post && path.length == 5 && path[0].equals("compatibility") && path[1].equals("subjects") && path[3].equals("versions")) {
      ObjectNode reply = json.createObjectNode();
      reply.put("is_compatible", store.compatible(path[2], path[4], schemaOf(body)));
      return reply;
    }
    if (get && path.length >= 1 && path[0].equals("config")) {
      ObjectNode reply = json.createObjectNode();
      reply.put("compatibilityLevel", "BACKWARD");
      return reply;
    }
    if (get && path.length == 0) {
      return json.createObjectNode();
    }
    throw new RegistryException(404, 404, "HTTP 404 Not Found: " + method + " /" + String.join("/", path));
  }

  private ObjectNode versionNode(SchemaStore.Version version) {
    ObjectNode node = json.createObjectNode();
    node.put("subject", version.subject());
    node.put("version", version.version());
    node.put("id", version.id());
    node.put("schema", version.schema());
    return node;
  }

  private String schemaOf(byte[] body) {
    JsonNode request = readTree(new String(body, StandardCharsets.UTF_8));
    String type = request.path("schemaType").asText("AVRO");
    if (!"AVRO".equals(type)) {
      throw new RegistryException(422, 42201, "Only AVRO schemas are supported, not " + type);
    }
    JsonNode schema = request.path("schema");
    return schema.isTextual() ? schema.asText() : null;
  }

  private JsonNode readTree(String text) {
    try {
      return json.readTree(text);
    } catch (IOException e) {
      throw new RegistryException(422, 42201, "Malformed JSON: " + e.getMessage());
    }
  }

  private WebReply reply(int status, JsonNode body) throws IOException {
    return WebReply.of(status, CONTENT_TYPE, json.writeValueAsBytes(body));
  }

  private static String[] segments(String rawPath) {
    String trimmed = rawPath.replaceAll("^/+|/+$", "");
    if (trimmed.isEmpty()) {
      return new String[0];
    }
    String[] parts = trimmed.split("/");
    for (int i = 0; i < parts.length; i++) {
      parts[i] = QueryString.decode(parts[i]);
    }
    return parts;
  }

  @Override
  public void close() {
    server.close();
  }
}
