package io.casefeed.localcloud.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casefeed.common.http.QueryString;
import io.casefeed.common.http.WebReply;
import io.casefeed.common.http.WebRequest;
import io.casefeed.common.http.WebServer;
import io.casefeed.localcloud.Faults;
import io.casefeed.localcloud.OutboxMessage;
import io.casefeed.localcloud.SimulatedCase;
import io.casefeed.localcloud.Simulation;
import io.casefeed.localcloud.ses.Outbox;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.NoSuchElementException;

/**
 * The admin HTTP API under {@code /_localcloud/} (a path no AWS client uses): the ground truth,
 * pause/resume, changing cases, faults, reset, the outbox and the call counts, as JSON. It is the
 * HTTP twin of {@link Simulation}.
 */
public final class AdminApi implements WebServer.Route {

  private final Simulation simulation;
  private final Outbox outbox;
  private final ObjectMapper json;

  public AdminApi(Simulation simulation, Outbox outbox, ObjectMapper json) {
    this.simulation = simulation;
    this.outbox = outbox;
    this.json = json;
  }

  @Override
  public WebReply handle(WebRequest request) throws IOException {
    String method = request.method();
    String path = request.path().substring("/_localcloud".length());
    JsonNode body;
    try {
      byte[] bytes = request.body();
      body = bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
    } catch (IOException e) {
      return reply(400, error("malformed JSON body: " + e.getMessage()));
    }
    try {
      JsonNode reply = route(method, path, request.query(), body);
      if (reply == null) {
        return reply(404, error("no admin operation " + method + " /_localcloud" + path));
      }
      return reply(200, reply);
    } catch (NoSuchElementException e) {
      return reply(404, error(e.getMessage()));
    } catch (IllegalArgumentException | NullPointerException e) {
      return reply(400, error(String.valueOf(e.getMessage())));
    }
  }

  private JsonNode route(String method, String path, QueryString query, JsonNode body) {
    boolean get = "GET".equals(method);
    boolean post = "POST".equals(method);
    switch (path) {
      case "/accounts":
        return get ? json.valueToTree(simulation.accounts()) : null;
      case "/cases":
        if (get) {
          String account = query.get("account");
          return account == null ? json.valueToTree(simulation.allCases()) : json.valueToTree(simulation.cases(account));
        }
        if (post) {
          return json.valueToTree(simulation.createCase(required(body, "accountId"), required(body, "subject"),
              text(body, "serviceCode"), text(body, "severityCode"), text(body, "language")));
        }
        return null;
      case "/pause":
        if (post) {
          simulation.pause();
        }
        return post ? paused() : null;
      case "/resume":
        if (post) {
          simulation.resume();
        }
        return post ? paused() : null;
      case "/faults":
        if (post) {
          addFaults(body);
        } else if ("DELETE".equals(method)) {
          simulation.faults().clear();
        } else if (!get) {
          return null;
        }
        return json.valueToTree(simulation.faults().describe());
      case "/reset":
        if (!post) {
          return null;
        }
        simulation.reset();
        outbox.clear();
        return json.createObjectNode().put("reset", true);
      case "/outbox":
        return get ? outboxNode() : null;
      case "/calls":
        if ("DELETE".equals(method)) {
          simulation.resetCallCounts();
        } else if (!get) {
          return null;
        }
        return json.valueToTree(simulation.callCounts());
      default:
        if (post && path.startsWith("/cases/")) {
          // The path is decoded already.
          return json.valueToTree(changeCase(path.substring("/cases/".length()), body));
        }
        return null;
    }
  }

  private SimulatedCase changeCase(String caseId, JsonNode body) {
    SimulatedCase changed = simulation.findCase(caseId).orElseThrow(() -> new NoSuchElementException("no case " + caseId));
    if (body.hasNonNull("status")) {
      changed = simulation.setStatus(caseId, body.get("status").asText());
    }
    if (body.hasNonNull("severity")) {
      changed = simulation.setSeverity(caseId, body.get("severity").asText());
    }
    if (body.hasNonNull("communication")) {
      JsonNode message = body.get("communication");
      changed = simulation.addCommunication(caseId, message.path("fromAws").asBoolean(false), required(message, "body"));
    }
    if (body.path("resolve").asBoolean(false)) {
      changed = simulation.resolve(caseId);
    }
    if (body.path("reopen").asBoolean(false)) {
      changed = simulation.reopen(caseId);
    }
    return changed;
  }

  /**
   * {@code {"latency":{"minMs":..,"maxMs":..}, "throttle":{"accountId":..,"operation":..,"callsPerSecond":..,"burst":..},
   * "globalRateLimit":.., "serverErrorRate":.., "revokeRole":"<accountId>"}}, any subset.
   */
  private void addFaults(JsonNode body) {
    Faults faults = simulation.faults();
    if (body.hasNonNull("latency")) {
      JsonNode latency = body.get("latency");
      faults.latency(Duration.ofMillis(latency.path("minMs").asLong(0)), Duration.ofMillis(latency.path("maxMs").asLong(0)));
    }
    if (body.hasNonNull("throttle")) {
      JsonNode throttle = body.get("throttle");
      faults.throttle(text(throttle, "accountId"), text(throttle, "operation"),
          throttle.path("callsPerSecond").asDouble(1), throttle.path("burst").asInt(1));
    }
    if (body.hasNonNull("globalRateLimit")) {
      faults.globalRateLimit(body.get("globalRateLimit").asDouble());
    }
    if (body.hasNonNull("serverErrorRate")) {
      faults.serverErrorRate(body.get("serverErrorRate").asDouble());
    }
    if (body.hasNonNull("revokeRole")) {
      faults.revokeRole(body.get("revokeRole").asText());
    }
  }

  private ArrayNode outboxNode() {
    ArrayNode messages = json.createArrayNode();
    for (OutboxMessage message : outbox.messages()) {
      ObjectNode node = messages.addObject();
      node.put("messageId", message.messageId());
      node.put("from", message.from());
      node.set("to", json.valueToTree(message.to()));
      node.set("tags", json.valueToTree(message.tags()));
      node.put("sentAt", message.sentAt().toString());
      node.put("file", outbox.folder().resolve(message.messageId() + ".eml").toString());
      node.put("rawMime", Base64.getEncoder().encodeToString(message.rawMime()));
    }
    return messages;
  }

  private ObjectNode paused() {
    return json.createObjectNode().put("paused", simulation.isPaused());
  }

  private ObjectNode error(String message) {
    return json.createObjectNode().put("error", message);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? null : value.asText();
  }

  private static String required(JsonNode node, String field) {
    String value = text(node, field);
    if (value == null) {
      throw new IllegalArgumentException("missing field " + field);
    }
    return value;
  }

  private WebReply reply(int status, JsonNode body) throws IOException {
    return WebReply.of(status, "application/json", json.writeValueAsBytes(body));
  }
}
