package io.casefeed.localcloud.aws;

import io.casefeed.localcloud.identity.Caller;
import io.casefeed.localcloud.protocol.AwsServiceException;
import io.casefeed.localcloud.protocol.QueryXml;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.common.http.HttpProblem;
import io.casefeed.common.http.QueryString;
import io.casefeed.common.http.WebReply;
import io.casefeed.common.http.WebRequest;
import io.casefeed.common.http.WebServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.casefeed.localcloud.Faults;
import io.casefeed.localcloud.Simulation;
import io.casefeed.localcloud.athena.AthenaApi;
import io.casefeed.localcloud.organizations.OrganizationsApi;
import io.casefeed.localcloud.ses.SesApi;
import io.casefeed.localcloud.sns.SnsApi;
import io.casefeed.localcloud.sts.StsApi;
import io.casefeed.localcloud.support.SupportApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP endpoint of every AWS service, routed the way AWS SDKs address them: JSON 1.1 by
 * {@code X-Amz-Target}, the Query protocol by the form's {@code Action} and {@code Version}, SES v2
 * by path. Each call is authenticated by its SigV4 access key, counted, passed through the
 * injected faults, then served (Athena too, over DuckDB); errors take each protocol's AWS shape.
 */
public final class AwsEndpoint implements WebServer.Route {

  private static final Logger LOG = LoggerFactory.getLogger(AwsEndpoint.class);
  private static final String JSON_11 = "application/x-amz-json-1.1";

  /** How a service speaks, which decides the shape of its errors. */
  enum Protocol { JSON, REST_JSON, QUERY }

  private record Route(String service, String operation, Protocol protocol, String namespace) {
  }

  private record CallKey(String service, String operation, String outcome) {
  }

  private final Simulation simulation;
  private final RequestAuthenticator authenticator;
  private final SupportApi support;
  private final OrganizationsApi organizations;
  private final StsApi sts;
  private final SesApi ses;
  private final SnsApi sns;
  private final AthenaApi athena;
  private final ObjectMapper json;
  private final MeterRegistry meters;
  private final Map<CallKey, Counter> counters = new ConcurrentHashMap<>();

  public AwsEndpoint(Simulation simulation, RequestAuthenticator authenticator, SupportApi support,
      OrganizationsApi organizations, StsApi sts, SesApi ses, SnsApi sns, AthenaApi athena, ObjectMapper json,
      MeterRegistry meters) {
    this.simulation = simulation;
    this.authenticator = authenticator;
    this.support = support;
    this.organizations = organizations;
    this.sts = sts;
    this.ses = ses;
    this.sns = sns;
    this.athena = athena;
    this.json = json;
    this.meters = meters;
  }

  @Override
  public WebReply handle(WebRequest request) {
    String requestId = UUID.randomUUID().toString();
    byte[] body = request.body();
    Route route = null;
    try {
      Map<String, String> form = null;
      String target = request.header("X-Amz-Target");
      String path = request.path();
      if (target != null) {
        route = jsonRoute(target);
      } else if (path.startsWith("/v2/email/")) {
        route = new Route("SESv2", SesApi.v2Operation(request.method(), path), Protocol.REST_JSON, null);
        if (route.operation() == null) {
          throw new AwsServiceException(404, "NotFoundException", "Unsupported SES v2 operation " + request.method() + " " + path);
        }
      } else {
        form = formParameters(request, body);
        route = new Route("Query", form.get("Action"), Protocol.QUERY,
            SesApi.VERSION.equals(form.get("Version")) ? SesApi.NAMESPACE : StsApi.NAMESPACE);
        route = queryRoute(form);
      }
      Caller caller = authenticator.authenticate(request, body, route.protocol() == Protocol.QUERY, route.service());
      simulation.recordCall(route.service(), route.operation(), caller.accountId());
      applyFaults(route, caller);
      WebReply reply = switch (route.service()) {
        case "Support" -> replyJson(requestId, support.handle(route.operation(), parseJson(body), caller));
        case "Organizations" -> replyJson(requestId, organizations.handle(route.operation(), parseJson(body), caller));
        case "Athena" -> replyJson(requestId, athena.handle(route.operation(), parseJson(body), caller));
        case "SESv2" -> replyJson(requestId, ses.handleV2(route.operation(), path, parseJson(body)));
        case "STS" -> replyXml(requestId, sts.handle(route.operation(), form, caller, requestId));
        case "SES" -> replyXml(requestId, ses.handleQuery(route.operation(), form, requestId));
        case "SNS" -> replyXml(requestId, sns.handle(route.operation(), form, caller.accountId(), scopeRegion(request),
            requestId));
        default -> throw new AwsServiceException(400, "UnknownOperationException", "No service " + route.service());
      };
      count(route, "ok");
      return reply;
    } catch (AwsServiceException e) {
      count(route, e.code());
      return replyError(requestId, route, e);
    } catch (RuntimeException e) {
      LOG.warn("internal error serving {}", route, e);
      count(route, "InternalFailure");
      return replyError(requestId, route, new AwsServiceException(500, "InternalFailure", "internal error: " + e));
    }
  }

  /** Calls served by service, operation and outcome ("ok" or the error code). */
  private void count(Route route, String outcome) {
    CallKey key = new CallKey(route == null ? "unknown" : route.service(),
        route == null || route.operation() == null ? "unknown" : route.operation(), outcome);
    // Looking a counter up in the registry builds and sorts its tags on every call; the map keeps it at hand.
    counters.computeIfAbsent(key, k -> meters.counter("localcloud.aws.calls", "service", k.service(),
        "operation", k.operation(), "outcome", k.outcome())).increment();
  }

  private Route jsonRoute(String target) {
    int dot = target.indexOf('.');
    String prefix = dot < 0 ? target : target.substring(0, dot);
    String operation = dot < 0 ? "" : target.substring(dot + 1);
    return switch (prefix) {
      case SupportApi.TARGET_PREFIX -> new Route("Support", operation, Protocol.JSON, null);
      case OrganizationsApi.TARGET_PREFIX -> new Route("Organizations", operation, Protocol.JSON, null);
      case AthenaApi.TARGET_PREFIX -> new Route("Athena", operation, Protocol.JSON, null);
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
    if (SnsApi.VERSION.equals(version)) {
      return new Route("SNS", action, Protocol.QUERY, SnsApi.NAMESPACE);
    }
    throw new AwsServiceException(400, "InvalidAction", "Could not find operation " + action + " for version " + version);
  }

  private void applyFaults(Route route, Caller caller) {
    Faults.Outcome outcome = simulation.faults().beforeCall(route.service(), route.operation(), caller.accountId());
    if (outcome == Faults.Outcome.THROTTLED) {
      throw switch (route.service()) {
        case "Organizations", "Athena" -> new AwsServiceException(400, "TooManyRequestsException", "Rate exceeded");
        case "SESv2" -> new AwsServiceException(429, "TooManyRequestsException", "Rate exceeded");
        case "STS", "SES" -> new AwsServiceException(400, "Throttling", "Rate exceeded");
        // SNS's ThrottledException: code Throttled, HTTP 429.
        case "SNS" -> new AwsServiceException(429, "Throttled", "Rate exceeded");
        default -> new AwsServiceException(400, "ThrottlingException", "Rate exceeded");
      };
    }
    if (outcome == Faults.Outcome.SERVER_ERROR) {
      throw switch (route.service()) {
        case "Support" -> new AwsServiceException(500, "InternalServerError", "An internal error occurred (injected)");
        case "Organizations" -> new AwsServiceException(500, "ServiceException", "An internal error occurred (injected)");
        case "Athena" -> new AwsServiceException(500, "InternalServerException", "An internal error occurred (injected)");
        default -> new AwsServiceException(500, "InternalFailure", "An internal error occurred (injected)");
      };
    }
  }

  /**
   * The region of the request's SigV4 credential scope (already checked by the authenticator): a
   * regional service's resources live there. us-east-1 when the request was presigned.
   */
  private static String scopeRegion(WebRequest request) {
    String authorization = request.header("Authorization");
    int at = authorization == null ? -1 : authorization.indexOf("Credential=");
    if (at < 0) {
      return "us-east-1";
    }
    String[] scope = authorization.substring(at + "Credential=".length()).split("[,\\s]", 2)[0].split("/");
    return scope.length >= 5 ? scope[2] : "us-east-1";
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

  private static Map<String, String> formParameters(WebRequest request, byte[] body) {
    String contentType = request.header("Content-Type");
    String encoded;
    if ("POST".equals(request.method())) {
      // Query clients send a form; a body without a content type is read as one too.
      if (contentType != null && !contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
        throw new AwsServiceException(400, "UnknownOperationException",
            "No AWS operation here: expected X-Amz-Target, a form-encoded Query request or an SES v2 path");
      }
      encoded = new String(body, StandardCharsets.UTF_8);
    } else {
      encoded = request.rawQuery();
    }
    try {
      return QueryString.parse(encoded).asMap();
    } catch (HttpProblem e) {
      throw new AwsServiceException(400, "MalformedQueryString", "Malformed form body: " + e.getMessage());
    }
  }

  private WebReply replyJson(String requestId, JsonNode reply) {
    try {
      return send(requestId, WebReply.of(200, JSON_11, json.writeValueAsBytes(reply)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a reply", e);
    }
  }

  private static WebReply replyXml(String requestId, String xml) {
    return send(requestId, WebReply.of(200, "text/xml", xml.getBytes(StandardCharsets.UTF_8)));
  }

  private WebReply replyError(String requestId, Route route, AwsServiceException error) {
    Protocol protocol = route == null ? Protocol.JSON : route.protocol();
    WebReply reply;
    if (protocol == Protocol.QUERY) {
      reply = WebReply.of(error.status(), "text/xml", QueryXml.error(route.namespace(), error, requestId).getBytes(StandardCharsets.UTF_8));
    } else {
      var body = json.createObjectNode();
      if (protocol == Protocol.JSON) {
        body.put("__type", error.code());
      }
      body.put("message", error.getMessage());
      error.fields().forEach(body::put);
      try {
        reply = WebReply.of(error.status(), protocol == Protocol.JSON ? JSON_11 : "application/json", json.writeValueAsBytes(body));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write an error reply", e);
      }
    }
    return send(requestId, reply.header("x-amzn-ErrorType", error.code()));
  }

  private static WebReply send(String requestId, WebReply reply) {
    return reply.header("x-amzn-RequestId", requestId);
  }
}
