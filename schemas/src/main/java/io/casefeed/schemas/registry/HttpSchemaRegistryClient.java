package io.casefeed.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A caching client of the Confluent Schema Registry REST API: the same calls Confluent's own client
 * makes, so it works against Confluent Schema Registry, Confluent Cloud, Apicurio's ccompat API,
 * Karapace and casefeed's local registry. Schemas and ids never change once registered, so both
 * directions are cached for the life of the client.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI baseUri;
  private final HttpClient http;
  private final String authorization;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();

  public HttpSchemaRegistryClient(String baseUrl) {
    this(baseUrl, null, null);
  }

  /** With HTTP basic authentication, as Confluent Cloud requires ({@code basic.auth.user.info}). */
  public HttpSchemaRegistryClient(String baseUrl, String user, String password) {
    String trimmed = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.baseUri = URI.create(trimmed);
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.authorization = user == null ? null
        : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int register(String subject, Schema schema) {
    String cacheKey = subject + "\u0000" + schema;
    Integer cached = idsBySubjectAndSchema.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    JsonNode reply = post("/subjects/" + encode(subject) + "/versions", schemaBody(schema));
    int id = reply.path("id").asInt(-1);
    if (id < 0) {
      throw new SchemaRegistryException("registry reply without id: " + reply, 200, -1, null);
    }
    idsBySubjectAndSchema.put(cacheKey, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  @Override
  public int lookup(String subject, Schema schema) {
    String cacheKey = subject + "\u0000" + schema;
    Integer cached = idsBySubjectAndSchema.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    JsonNode reply = post("/subjects/" + encode(subject), schemaBody(schema));
    int id = reply.path("id").asInt(-1);
    idsBySubjectAndSchema.put(cacheKey, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  @Override
  public Schema schemaById(int id) {
    return schemasById.computeIfAbsent(id, this::fetchSchema);
  }

  private Schema fetchSchema(int id) {
    JsonNode reply = send(request("/schemas/ids/" + id).GET().build());
    String schemaType = reply.path("schemaType").asText("AVRO");
    if (!"AVRO".equals(schemaType)) {
      throw new SchemaRegistryException("schema " + id + " is " + schemaType + ", not AVRO", 200, -1, null);
    }
    return new Schema.Parser().parse(reply.path("schema").asText());
  }

  private static String schemaBody(Schema schema) {
    ObjectNode body = JSON.createObjectNode();
    body.put("schema", schema.toString());
    return body.toString();
  }

  private JsonNode post(String path, String body) {
    return send(request(path)
        .header("Content-Type", CONTENT_TYPE)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .build());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUri + path))
        .timeout(Duration.ofSeconds(30))
        .header("Accept", CONTENT_TYPE + ", application/json");
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder;
  }

  /**
   * Sends, and once more if the connection failed: a server may close a kept-alive connection just as the
   * client reuses it (the reply is then "received no bytes"), and the JDK client retries only GETs. Both
   * calls here may be repeated: a lookup reads, and registering the same schema again returns the same id.
   */
  private HttpResponse<String> sendOnceMore(HttpRequest request) throws IOException, InterruptedException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException first) {
      try {
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException second) {
        second.addSuppressed(first);
        throw second;
      }
    }
  }

  private JsonNode send(HttpRequest request) {
    HttpResponse<String> response;
    try {
      response = sendOnceMore(request);
    } catch (IOException e) {
      throw new SchemaRegistryException("schema registry " + baseUri + " unreachable: " + e.getMessage(), -1, -1, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("interrupted calling schema registry", -1, -1, e);
    }
    JsonNode body;
    try {
      body = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new SchemaRegistryException("schema registry replied with non-JSON (HTTP " + response.statusCode() + ")",
          response.statusCode(), -1, e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new SchemaRegistryException(
          request.method() + " " + request.uri().getPath() + " failed: HTTP " + response.statusCode() + " "
              + body.path("message").asText(response.body()),
          response.statusCode(), body.path("error_code").asInt(-1), null);
    }
    return body;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
