package io.casefeed.localcloud.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.casefeed.localcloud.Faults;
import io.casefeed.localcloud.Simulation;
import io.casefeed.localcloud.organizations.OrganizationsApi;
import io.casefeed.localcloud.ses.SesApi;
import io.casefeed.localcloud.sts.StsApi;
import io.casefeed.localcloud.support.SupportApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP endpoint of every AWS service, routed the way AWS SDKs address them: JSON 1.1 by
 * {@code X-Amz-Target}, the Query protocol by the form's {@code Action} and {@code Version}, SES v2
 * by path. Each call is authenticated by its SigV4 access key, counted, passed through the
 * injected faults, then served; errors take each protocol's AWS shape.
 */
public final class AwsEndpoint implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(AwsEndpoint.class);
  private static final String JSON_11 = "application/x-amz-json-1.1";

  /** How a service speaks, which decides the shape of its errors. */
  enum Protocol { JSON, REST_JSON, QUERY }

  private record Route(String service, String operation, Protocol protocol, String namespace) {
  }

  private final Simulation simulation;
  private final RequestAuthenticator authenticator;
  private final SupportApi support;
  private final OrganizationsApi organizations;
  private final StsApi sts;
  private final SesApi ses;
  private final HttpHandler admin;
  private final ObjectMapper json;
  private final MeterRegistry meters;

  public AwsEndpoint(Simulation simulation, RequestAuthenticator authenticator, SupportApi support,
      OrganizationsApi organizations, StsApi sts, SesApi ses, HttpHandler admin, ObjectMapper json,
      MeterRegistry meters) {
    this.simulation = simulation;
    this.authenticator = authenticator;
    this.support = support;
    this.organizations = organizations;
    this.sts = sts;
    this.ses = ses;
    this.admin = admin;
    this.json = json;
    this.meters = meters;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (exchange.getRequestURI().getPath().startsWith("/_localcloud/")) {
        admin.handle(exchange);
        return;
      }
      String requestId = UUID.randomUUID().toString();
      byte[] body = readBody(exchange);
      Route route = null;
      try {
        Map<String, String> form = null;
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String path = exchange.getRequestURI().getPath();
        if (target != null) {
          route = jsonRoute(target);
        } else if (path.startsWith("/v2/email/")) {
          route = new Route("SESv2", SesApi.v2Operation(exchange.getRequestMethod(), path), Protocol.REST_JSON, null);
          if (route.operation() == null) {
            throw new AwsServiceException(404, "NotFoundException", "Unsupported SES v2 operation " + exchange.getRequestMethod() + " " + path);
          }
        } else {
          form = formParameters(exchange, body);
          route = new Route("Query", form.get("Action"), Protocol.QUERY,
              SesApi.VERSION.equals(form.get("Version")) ? SesApi.NAMESPACE : StsApi.NAMESPACE);
          route = queryRoute(form);
        }
        Caller caller = authenticator.authenticate(exchange, body, route.protocol() == Protocol.QUERY, route.service());
        simulation.recordCall(route.service(), route.operation(), caller.accountId());
        applyFaults(route, caller);
        switch (route.service()) {
          case "Support" -> replyJson(exchange, requestId, support.handle(route.operation(), parseJson(body), caller));
          case "Organizations" -> replyJson(exchange, requestId, organizations.handle(route.operation(), parseJson(body), caller));
          case "SESv2" -> replyJson(exchange, requestId, ses.handleV2(route.operation(), path, parseJson(body)));
          case "STS" -> replyXml(exchange, requestId, sts.handle(route.operation(), form, caller, requestId));
          case "SES" -> replyXml(exchange, requestId, ses.handleQuery(route.operation(), form, requestId));
          default -> throw new AwsServiceException(400, "UnknownOperationException", "No service " + route.service());
        }
        count(route, "ok");
      } catch (AwsServiceException e) {
        count(route, e.code());
        replyError(exchange, requestId, route, e);
      } catch (RuntimeException e) {
        LOG.warn("internal error serving {}", route, e);
        count(route, "InternalFailure");
        replyError(exchange, requestId, route, new AwsServiceException(500, "InternalFailure", "internal error: " + e));
      }
    }
  }

  /** Calls served by service, operation and outcome ("ok" or the error code). */
  private void count(Route route, String outcome) {
    meters.counter("localcloud.aws.calls", "service", route == null ? "unknown" : route.service(),
        "operation", route == null || route.operation() == null ? "unknown" : route.operation(), "outcome", outcome).increment();
  }

  private Route jsonRoute(String target) {
    int dot = target.indexOf('.');
    String prefix = dot < 0 ? target : target.substring(0, dot);
    String operation = dot < 0 ? "" : target.substring(dot + 1);
    return switch (prefix) {
      case SupportApi.TARGET_PREFIX -> new Route("Support", operation, Protocol.JSON, null);
      case OrganizationsApi.TARGET_PREFIX -> new Route("Organizations", operation, Protocol.JSON, null);
      default -> throw new AwsServiceException(400, "UnknownOperationException", "Unknown target " + target);
    };
  }

  private static Route queryRoute(Map<String, String> form) {
    String action = form.get("Action");
    String version = form.get("Version");
    if (action == null) {
      throw new AwsServiceException(400, "UnknownOperationException", "The request names no operation");
    }
    if (StsApi.VERSION.equals(version)) {
      return new Route("STS", action, Protocol.QUERY, StsApi.NAMESPACE);
    }
    if (SesApi.VERSION.equals(version)) {
      return new Route("SES", action, Protocol.QUERY, SesApi.NAMESPACE);
    }
    throw new AwsServiceException(400, "InvalidAction", "Could not find operation " + action + " for version " + version);
  }

  private void applyFaults(Route route, Caller caller) {
    Faults.Outcome outcome = simulation.faults().beforeCall(route.service(), route.operation(), caller.accountId());
    if (outcome == Faults.Outcome.THROTTLED) {
      throw switch (route.service()) {
        case "Organizations" -> new AwsServiceException(400, "TooManyRequestsException", "Rate exceeded");
        case "SESv2" -> new AwsServiceException(429, "TooManyRequestsException", "Rate exceeded");
        case "STS", "SES" -> new AwsServiceException(400, "Throttling", "Rate exceeded");
        default -> new AwsServiceException(400, "ThrottlingException", "Rate exceeded");
      };
    }
    if (outcome == Faults.Outcome.SERVER_ERROR) {
      throw switch (route.service()) {
        case "Support" -> new AwsServiceException(500, "InternalServerError", "An internal error occurred (injected)");
        case "Organizations" -> new AwsServiceException(500, "ServiceException", "An internal error occurred (injected)");
        default -> new AwsServiceException(500, "InternalFailure", "An internal error occurred (injected)");
      };
    }
  }

  private JsonNode parseJson(byte[] body) {
    if (body.length == 0) {
      return json.createObjectNode();
    }
    try {
      JsonNode parsed = json.readTree(body);
      if (parsed == null || !parsed.isObject()) {
        throw new AwsServiceException(400, "SerializationException", "The request body must be a JSON object");
      }
      return parsed;
    } catch (JsonProcessingException e) {
      throw new AwsServiceException(400, "SerializationException", "Malformed JSON body: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new AwsServiceException(400, "SerializationException", "Unreadable body");
    }
  }

  private static Map<String, String> formParameters(HttpExchange exchange, byte[] body) {
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    String encoded;
    if ("POST".equals(exchange.getRequestMethod())) {
      // Query clients send a form; a body without a content type is read as one too.
      if (contentType != null && !contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
        throw new AwsServiceException(400, "UnknownOperationException",
            "No AWS operation here: expected X-Amz-Target, a form-encoded Query request or an SES v2 path");
      }
      encoded = new String(body, StandardCharsets.UTF_8);
    } else {
      encoded = exchange.getRequestURI().getRawQuery();
    }
    Map<String, String> params = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return params;
    }
    try {
      for (String pair : encoded.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int equals = pair.indexOf('=');
        String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
        String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
        params.put(name, value);
      }
    } catch (IllegalArgumentException e) {
      throw new AwsServiceException(400, "MalformedQueryString", "Malformed form body: " + e.getMessage());
    }
    return params;
  }

  private void replyJson(HttpExchange exchange, String requestId, JsonNode reply) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", JSON_11);
    send(exchange, requestId, 200, json.writeValueAsBytes(reply));
  }

  private static void replyXml(HttpExchange exchange, String requestId, String xml) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/xml");
    send(exchange, requestId, 200, xml.getBytes(StandardCharsets.UTF_8));
  }

  private void replyError(HttpExchange exchange, String requestId, Route route, AwsServiceException error) throws IOException {
    Protocol protocol = route == null ? Protocol.JSON : route.protocol();
    exchange.getResponseHeaders().set("x-amzn-ErrorType", error.code());
    if (protocol == Protocol.QUERY) {
      exchange.getResponseHeaders().set("Content-Type", "text/xml");
      send(exchange, requestId, error.status(),
          QueryXml.error(route.namespace(), error, requestId).getBytes(StandardCharsets.UTF_8));
      return;
    }
    var body = json.createObjectNode();
    if (protocol == Protocol.JSON) {
      body.put("__type", error.code());
      exchange.getResponseHeaders().set("Content-Type", JSON_11);
    } else {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
    }
    body.put("message", error.getMessage());
    error.fields().forEach(body::put);
    send(exchange, requestId, error.status(), json.writeValueAsBytes(body));
  }

  private static void send(HttpExchange exchange, String requestId, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return in.readAllBytes();
    }
  }
}
