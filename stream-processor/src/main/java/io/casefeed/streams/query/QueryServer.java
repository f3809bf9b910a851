package io.casefeed.streams.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.SweepRecord;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.schemas.privacy.PersonalData;
import io.casefeed.streams.pivot.Dimension;
import io.casefeed.streams.topology.StoreNames;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query API over HTTP (JSON), answered from the state stores of every instance: list-style
 * answers gather each instance's share through its {@code /internal/*} endpoints; a single case is
 * forwarded to the instance that owns it. Other handlers (the dashboard) can be added with
 * {@link #addContext}.
 */
public final class QueryServer implements AutoCloseable {

  static final String FORWARDED_HEADER = "X-Casefeed-Forwarded";
  private static final Logger LOG = LoggerFactory.getLogger(QueryServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KafkaStreams streams;
  private final LocalStores local;
  private final HostInfo self;
  private final String token;
  private final PersonalData privacy;
  private final Clock clock;
  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * @param self this instance as the others reach it ({@code application.server}), or null for a single instance
   * @param token the bearer token every /api and /internal request must carry, or null
   */
  public QueryServer(KafkaStreams streams, String bindAddress, int port, HostInfo self, String token, Clock clock) throws IOException {
    this(streams, bindAddress, port, self, token, clock, PersonalData.KEEP_ALL);
  }

  /** @param privacy how subjects, bodies and e-mail addresses appear in the answers */
  public QueryServer(KafkaStreams streams, String bindAddress, int port, HostInfo self, String token, Clock clock,
      PersonalData privacy) throws IOException {
    this.privacy = privacy;
    this.streams = streams;
    this.local = new LocalStores(streams);
    this.self = self;
    this.token = token;
    this.clock = clock;
    this.server = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
    this.executor = Executors.newFixedThreadPool(4, runnable -> {
      Thread thread = new Thread(runnable, "query-http");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/health", exchange -> respond(exchange, () -> health(exchange)));
    server.createContext("/api/", authenticated(this::api));
    server.createContext("/internal/", authenticated(this::internal));
  }

  public QueryServer start() {
    server.start();
    LOG.info("query API listening on {}", url());
    return this;
  }

  public String url() {
    InetSocketAddress address = server.getAddress();
    return "http://" + address.getHostString() + ":" + address.getPort();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Serves {@code handler} under {@code path} (the dashboard page, for one); it sees no token check. */
  public void addContext(String path, HttpHandler handler) {
    server.createContext(path, handler);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private Reply health(HttpExchange exchange) {
    KafkaStreams.State state = streams.state();
    boolean up = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
    ObjectNode node = JSON.createObjectNode().put("status", up ? "UP" : "DOWN").put("streams", state.name());
    return new Reply(up ? 200 : 503, "application/json", node.toString());
  }

  private Reply api(HttpExchange exchange) {
    String path = exchange.getRequestURI().getPath();
    Map<String, String> params = params(exchange.getRequestURI());
    List<String> parts = List.of(path.substring("/api/".length()).split("/"));
    if (path.equals("/api/cases")) {
      return json(CaseQueries.listCases(gatherCases(), CaseFilter.parse(params), clock.instant()));
    } else if (parts.size() == 3 && parts.get(0).equals("cases")) {
      return caseDetail(exchange, CaseKeys.of(parts.get(1), parts.get(2)));
    } else if (path.equals("/api/pivot")) {
      return pivot(params);
    } else if (path.equals("/api/accounts")) {
      return json(CaseQueries.accounts(gatherAccounts(), gatherSweeps(), gatherCases()));
    } else if (path.equals("/api/stats")) {
      return json(CaseQueries.stats(gatherCases(), gatherSweeps(), clock.instant()));
    }
    return error(404, "no such endpoint: " + path);
  }

  private Reply caseDetail(HttpExchange exchange, String caseKey) {
    if (self != null && exchange.getRequestHeaders().getFirst(FORWARDED_HEADER) == null) {
      KeyQueryMetadata metadata = streams.queryMetadataForKey(StoreNames.CASES, caseKey, Serdes.String().serializer());
      HostInfo owner = metadata.activeHost();
      if (owner != null && !owner.equals(HostInfo.unavailable()) && !owner.equals(self)) {
        return forward(owner, exchange.getRequestURI().getRawPath());
      }
    }
    CaseState state = local.caseState(caseKey);
    if (state == null) {
      return error(404, "no case " + caseKey);
    }
    return json(CaseQueries.caseWithHistory(privacy.apply(state), local.history(caseKey).stream().map(privacy::apply).toList(),
        clock.instant()));
  }

  private Reply pivot(Map<String, String> params) {
    Dimension rows = dimension(params, "rows", true);
    Dimension cols = dimension(params, "cols", false);
    Map<Dimension, String> filters = new EnumMap<>(Dimension.class);
    for (Dimension dimension : Dimension.values()) {
      String value = params.get(dimension.parameter());
      if (value != null && !value.isEmpty()) {
        filters.put(dimension, value);
      }
    }
    Map<String, Long> cells = new HashMap<>(local.pivotCells());
    for (HostInfo peer : peers()) {
      JsonNode remote = parse(get(peer, "/internal/pivot"));
      remote.fields().forEachRemaining(entry -> cells.merge(entry.getKey(), entry.getValue().asLong(), Long::sum));
    }
    return json(CaseQueries.pivot(cells, rows, cols, filters));
  }

  private static Dimension dimension(Map<String, String> params, String name, boolean required) {
    String value = params.get(name);
    if (value == null) {
      if (required) {
        throw new IllegalArgumentException(name + " is required: one of account, status, severity, service, language");
      }
      return null;
    }
    return Dimension.fromParameter(value).orElseThrow(() ->
        new IllegalArgumentException(name + " must be one of account, status, severity, service, language, not " + value));
  }

  private Reply internal(HttpExchange exchange) {
    String path = exchange.getRequestURI().getPath();
    return switch (path) {
      case "/internal/cases" -> lines(local.cases());
      case "/internal/accounts" -> lines(local.accounts());
      case "/internal/coverage" -> lines(local.sweeps());
      case "/internal/pivot" -> json(JSON.valueToTree(local.pivotCells()));
      default -> error(404, "no such endpoint: " + path);
    };
  }

  private List<CaseState> gatherCases() {
    // Personal data is treated before filtering, so a text search never finds what the answer hides.
    return privacy.applyAll(gather(local::cases, "/internal/cases", CaseState.class));
  }

  private List<AccountRecord> gatherAccounts() {
    return gather(local::accounts, "/internal/accounts", AccountRecord.class);
  }

  private List<SweepRecord> gatherSweeps() {
    return gather(local::sweeps, "/internal/coverage", SweepRecord.class);
  }

  private <T extends SpecificRecord> List<T> gather(Supplier<List<T>> localPart, String path, Class<T> type) {
    List<T> all = new ArrayList<>(localPart.get());
    for (HostInfo peer : peers()) {
      for (String line : get(peer, path).split("\n")) {
        if (!line.isBlank()) {
          all.add(AvroJson.decode(type, line));
        }
      }
    }
    return all;
  }

  /** The other instances of this application; none without application.server. */
  private List<HostInfo> peers() {
    if (self == null) {
      return List.of();
    }
    return streams.metadataForAllStreamsClients().stream().map(StreamsMetadata::hostInfo)
        .filter(host -> !host.equals(self)).distinct().toList();
  }

  private Reply forward(HostInfo owner, String rawPath) {
    HttpResponse<String> response = send(owner, rawPath);
    return new Reply(response.statusCode(), "application/json", response.body());
  }

  private String get(HostInfo peer, String path) {
    HttpResponse<String> response = send(peer, path);
    if (response.statusCode() != 200) {
      throw new PeerUnavailable("instance " + peer.host() + ":" + peer.port() + " answered " + response.statusCode() + " to " + path);
    }
    return response.body();
  }

  private HttpResponse<String> send(HostInfo peer, String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + peer.host() + ":" + peer.port() + path))
        .timeout(Duration.ofSeconds(10)).header(FORWARDED_HEADER, "1").GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new PeerUnavailable("instance " + peer.host() + ":" + peer.port() + " unreachable: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PeerUnavailable("interrupted asking " + peer.host() + ":" + peer.port());
    }
  }

  private HttpHandler authenticated(Function<HttpExchange, Reply> handler) {
    return exchange -> respond(exchange, () -> {
      if (token != null && !tokenMatches(exchange.getRequestHeaders().getFirst("Authorization"))) {
        return error(401, "missing or wrong bearer token");
      }
      return handler.apply(exchange);
    });
  }

  private boolean tokenMatches(String authorization) {
    String expected = "Bearer " + token;
    return authorization != null && MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), authorization.getBytes(StandardCharsets.UTF_8));
  }

  private static void respond(HttpExchange exchange, Supplier<Reply> handler) throws IOException {
    Reply reply;
    try {
      if (!"GET".equals(exchange.getRequestMethod())) {
        reply = error(405, "only GET");
      } else {
        reply = handler.get();
      }
    } catch (IllegalArgumentException e) {
      reply = error(400, e.getMessage());
    } catch (InvalidStateStoreException e) {
      reply = error(503, "state stores are not ready (starting or rebalancing): " + e.getMessage());
    } catch (PeerUnavailable e) {
      reply = error(503, e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("query {} failed", exchange.getRequestURI(), e);
      reply = error(500, e.toString());
    }
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", reply.contentType() + "; charset=utf-8");
    exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static Reply json(JsonNode node) {
    return new Reply(200, "application/json", node.toString());
  }

  private static <T extends SpecificRecord> Reply lines(List<T> records) {
    StringBuilder body = new StringBuilder();
    records.forEach(record -> body.append(AvroJson.encode(record)).append('\n'));
    return new Reply(200, "application/x-ndjson", body.toString());
  }

  private static Reply error(int status, String message) {
    return new Reply(status, "application/json", JSON.createObjectNode().put("error", message).toString());
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new PeerUnavailable("a peer answered with non-JSON: " + e.getMessage());
    }
  }

  static Map<String, String> params(URI uri) {
    Map<String, String> params = new LinkedHashMap<>();
    String query = uri.getRawQuery();
    if (query == null || query.isEmpty()) {
      return params;
    }
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      params.put(name, value);
    }
    return params;
  }

  private record Reply(int status, String contentType, String body) {}

  private static final class PeerUnavailable extends RuntimeException {
    PeerUnavailable(String message) {
      super(message);
    }
  }
}
