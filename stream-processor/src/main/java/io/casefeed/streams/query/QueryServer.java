package io.casefeed.streams.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casefeed.common.http.HttpLimits;
import io.casefeed.common.http.HttpProblem;
import io.casefeed.common.http.QueryString;
import io.casefeed.common.http.TokenRules;
import io.casefeed.common.http.WebReply;
import io.casefeed.common.http.WebRequest;
import io.casefeed.common.http.WebServer;
import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.SweepRecord;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.schemas.privacy.PersonalData;
import io.casefeed.streams.notifications.NotificationsFeed;
import io.casefeed.streams.notifications.NotificationsJson;
import io.casefeed.streams.pivot.Dimension;
import io.casefeed.streams.topology.StoreNames;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Consumer;
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
 * forwarded to the instance that owns it. {@code /internal/cases} answers a page at a time
 * ({@code after}, {@code limit} up to {@value #MAX_PAGE}; the next page's {@code after} in
 * {@value #NEXT_AFTER_HEADER}), with {@code privacy.*} already applied. Other routes (the
 * dashboard) can be added with {@link #addRoutes} before {@link #start}.
 */
public final class QueryServer implements AutoCloseable {

  static final String FORWARDED_HEADER = "X-Casefeed-Forwarded";
  /** On a page of /internal/cases that is not the last: the URL-encoded {@code after} of the next. */
  public static final String NEXT_AFTER_HEADER = "X-Casefeed-Next-After";
  /** The largest page of /internal/cases, and the default. */
  public static final int MAX_PAGE = 500;
  private static final Logger LOG = LoggerFactory.getLogger(QueryServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KafkaStreams streams;
  private final LocalStores local;
  private final HostInfo self;
  private final String token;
  private final PersonalData privacy;
  private final Clock clock;
  private final WebServer.Builder routes;
  private WebServer server;
  private volatile NotificationsFeed notifications;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * @param self this instance as the others reach it ({@code application.server}), or null for a single instance
   * @param token the bearer token every /api and /internal request must carry, or null
   */
  public QueryServer(KafkaStreams streams, String bindAddress, int port, HostInfo self, String token, Clock clock) {
    this(streams, bindAddress, port, self, token, clock, PersonalData.KEEP_ALL);
  }

  /** @param privacy how subjects, bodies and e-mail addresses appear in the answers */
  public QueryServer(KafkaStreams streams, String bindAddress, int port, HostInfo self, String token, Clock clock,
      PersonalData privacy) {
    this.privacy = privacy;
    this.streams = streams;
    this.local = new LocalStores(streams);
    this.self = self;
    this.token = token;
    this.clock = clock;
    String weakness = TokenRules.weakness(token);
    if (weakness != null) {
      throw new IllegalArgumentException("query.token " + weakness);
    }
    this.routes = WebServer.builder("query").bind(bindAddress, port).limits(HttpLimits.DEFAULT)
        .get("/health", request -> health())
        .prefix("GET", "/api/", authenticated(this::api))
        .prefix("GET", "/internal/", authenticated(this::internal))
        .errors(QueryServer::problem);
  }

  public QueryServer start() {
    server = routes.start();
    LOG.info("query API listening on {}", url());
    return this;
  }

  public String url() {
    return server.url();
  }

  public int port() {
    return server.port();
  }

  /** Serves {@code /api/notifications} from {@code feed} (before {@link #start}); without one it says it is not enabled. */
  public QueryServer notifications(NotificationsFeed feed) {
    this.notifications = feed;
    return this;
  }

  /** Adds routes (the dashboard page, for one) before {@link #start}; they see no token check. */
  public QueryServer addRoutes(Consumer<WebServer.Builder> extra) {
    extra.accept(routes);
    return this;
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }

  private WebReply health() {
    KafkaStreams.State state = streams.state();
    boolean up = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
    ObjectNode node = JSON.createObjectNode().put("status", up ? "UP" : "DOWN").put("streams", state.name());
    return WebReply.json(up ? 200 : 503, node.toString());
  }

  private WebReply api(WebRequest request) {
    String path = request.path();
    Map<String, String> params = request.query().asMap();
    List<String> parts = List.of(path.substring("/api/".length()).split("/"));
    if (path.equals("/api/cases")) {
      return json(CaseQueries.listCases(gatherCases(), CaseFilter.parse(params), clock.instant()));
    } else if (parts.size() == 3 && parts.get(0).equals("cases")) {
      return caseDetail(request, CaseKeys.of(parts.get(1), parts.get(2)));
    } else if (path.equals("/api/pivot")) {
      return pivot(params);
    } else if (path.equals("/api/accounts")) {
      return json(CaseQueries.accounts(gatherAccounts(), gatherSweeps(), gatherCases()));
    } else if (path.equals("/api/stats")) {
      return json(CaseQueries.stats(gatherCases(), gatherSweeps(), clock.instant()));
    } else if (path.equals("/api/notifications")) {
      // Every instance follows the whole ledger: no other instance is asked.
      return json(NotificationsJson.of(JSON, notifications, privacy));
    }
    return error(404, "no such endpoint: " + path);
  }

  private WebReply caseDetail(WebRequest request, String caseKey) {
    if (self != null && request.header(FORWARDED_HEADER) == null) {
      KeyQueryMetadata metadata = streams.queryMetadataForKey(StoreNames.CASES, caseKey, Serdes.String().serializer());
      HostInfo owner = metadata.activeHost();
      if (owner != null && !owner.equals(HostInfo.unavailable()) && !owner.equals(self)) {
        return forward(owner, request.rawPath());
      }
    }
    CaseState state = local.caseState(caseKey);
    if (state == null) {
      return error(404, "no case " + caseKey);
    }
    return json(CaseQueries.caseWithHistory(privacy.apply(state), local.history(caseKey).stream().map(privacy::apply).toList(),
        clock.instant()));
  }

  private WebReply pivot(Map<String, String> params) {
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

  private WebReply internal(WebRequest request) {
    String path = request.path();
    return switch (path) {
      case "/internal/cases" -> casesPage(request.query());
      case "/internal/accounts" -> lines(local.accounts());
      case "/internal/coverage" -> lines(local.sweeps());
      case "/internal/pivot" -> json(JSON.valueToTree(local.pivotCells()));
      default -> error(404, "no such endpoint: " + path);
    };
  }

  /**
   * One page of this instance's cases in key order, personal data treated as {@code privacy.*}
   * says: what leaves the instance is what any other endpoint would show.
   */
  private WebReply casesPage(QueryString query) {
    String after = query.get("after");
    int limit = pageLimit(query.get("limit"));
    SortedMap<String, CaseState> page = local.casesAfter(after, limit + 1);
    String nextAfter = null;
    if (page.size() > limit) {
      List<String> keys = new ArrayList<>(page.keySet());
      nextAfter = keys.get(limit - 1);
      page = page.headMap(keys.get(limit));
    }
    WebReply reply = lines(privacy.applyAll(List.copyOf(page.values())));
    if (nextAfter != null) {
      reply.header(NEXT_AFTER_HEADER, URLEncoder.encode(nextAfter, StandardCharsets.UTF_8));
    }
    return reply;
  }

  private static int pageLimit(String value) {
    if (value == null) {
      return MAX_PAGE;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_PAGE) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException("limit must be a whole number from 1 to " + MAX_PAGE + ", not " + value);
  }

  private List<CaseState> gatherCases() {
    // Personal data is treated before filtering, so a text search never finds what the answer hides;
    // the other instances treat their own share (treating it twice would hash a hash).
    List<CaseState> all = new ArrayList<>(privacy.applyAll(local.cases()));
    for (HostInfo peer : peers()) {
      String after = null;
      do {
        HttpResponse<String> page = fetch(peer, "/internal/cases?limit=" + MAX_PAGE + (after == null ? "" : "&after=" + after));
        decodeLines(page.body(), CaseState.class, all);
        after = page.headers().firstValue(NEXT_AFTER_HEADER).orElse(null);
      } while (after != null);
    }
    return all;
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
      decodeLines(get(peer, path), type, all);
    }
    return all;
  }

  private static <T extends SpecificRecord> void decodeLines(String body, Class<T> type, List<T> into) {
    for (String line : body.split("\n")) {
      if (!line.isBlank()) {
        into.add(AvroJson.decode(type, line));
      }
    }
  }

  /** The other instances of this application; none without application.server. */
  private List<HostInfo> peers() {
    if (self == null) {
      return List.of();
    }
    return streams.metadataForAllStreamsClients().stream().map(StreamsMetadata::hostInfo)
        .filter(host -> !host.equals(self)).distinct().toList();
  }

  private WebReply forward(HostInfo owner, String rawPath) {
    HttpResponse<String> response = send(owner, rawPath);
    return WebReply.json(response.statusCode(), response.body());
  }

  private String get(HostInfo peer, String path) {
    return fetch(peer, path).body();
  }

  private HttpResponse<String> fetch(HostInfo peer, String path) {
    HttpResponse<String> response = send(peer, path);
    if (response.statusCode() != 200) {
      throw new PeerUnavailable("instance " + peer.host() + ":" + peer.port() + " answered " + response.statusCode() + " to " + path);
    }
    return response;
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

  private WebServer.Route authenticated(WebServer.Route route) {
    return request -> {
      if (token != null && !TokenRules.bearerMatches(token, request.header("Authorization"))) {
        throw new HttpProblem(401, "missing or wrong bearer token");
      }
      return route.handle(request);
    };
  }

  /** The query API's own failures: bad parameters, stores moving, a peer away. */
  private static WebReply problem(Exception e) {
    if (e instanceof IllegalArgumentException) {
      return HttpProblem.reply(400, e.getMessage());
    } else if (e instanceof InvalidStateStoreException) {
      return HttpProblem.reply(503, "state stores are not ready (starting or rebalancing): " + e.getMessage());
    } else if (e instanceof PeerUnavailable) {
      return HttpProblem.reply(503, e.getMessage());
    }
    LOG.warn("query failed", e);
    return HttpProblem.reply(500, e.toString());
  }

  private static WebReply json(JsonNode node) {
    return WebReply.json(200, node.toString());
  }

  private static <T extends SpecificRecord> WebReply lines(List<T> records) {
    StringBuilder body = new StringBuilder();
    records.forEach(record -> body.append(AvroJson.encode(record)).append('\n'));
    return WebReply.of(200, "application/x-ndjson; charset=utf-8", body.toString());
  }

  private static WebReply error(int status, String message) {
    return HttpProblem.reply(status, message);
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new PeerUnavailable("a peer answered with non-JSON: " + e.getMessage());
    }
  }

  private static final class PeerUnavailable extends RuntimeException {
    PeerUnavailable(String message) {
      super(message);
    }
  }
}
