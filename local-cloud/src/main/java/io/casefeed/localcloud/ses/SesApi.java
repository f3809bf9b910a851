package io.casefeed.localcloud.ses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casefeed.localcloud.OutboxMessage;
import io.casefeed.localcloud.protocol.AwsServiceException;
import io.casefeed.localcloud.protocol.QueryXml;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Amazon SES: v2 {@code SendEmail}, {@code GetAccount}, {@code GetEmailIdentity} (REST JSON) and v1
 * {@code SendEmail}, {@code SendRawEmail}, {@code VerifyEmailIdentity}, {@code ListIdentities},
 * {@code GetSendQuota} (Query protocol, {@code Version=2010-12-01}), all sending into one {@link Outbox}.
 * As SES does, the sender must always be a verified identity, every address must be well formed,
 * one message has at most 50 recipients, and in sandbox mode every recipient must be verified too
 * (the mailbox simulator's addresses excepted).
 */
public final class SesApi {

  public static final String VERSION = "2010-12-01";
  public static final String NAMESPACE = "http://ses.amazonaws.com/doc/2010-12-01/";

  private final Outbox outbox;
  private final Clock clock;
  /** SES's limit on one message, attachments and encoding included. */
  public static final int MAX_MESSAGE_BYTES = 40 * 1024 * 1024;
  private final ObjectMapper json;
  private final boolean sandbox;
  /** SES v1's limit on one raw message, counted on its base64 text as sent (stricter than the decoded size). */
  public static final int MAX_V1_RAW_MESSAGE_BYTES = 10 * 1024 * 1024;
  public static final int MAX_RECIPIENTS = 50;
  /** The SES mailbox simulator: accepted as recipients even in the sandbox, as SES does. */
  static final String SIMULATOR_DOMAIN = "simulator.amazonses.com";
  private static final List<String> SIMULATOR_MAILBOXES = List.of("success", "bounce", "ooto", "complaint", "suppressionlist");
  /** local@domain, no spaces, a domain with at least one dot, as SES's address check wants. */
  private static final Pattern ADDRESS = Pattern.compile("[^@\\s\"<>(),;:\\[\\]]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\\.)+[A-Za-z0-9-]{2,}");
  private static final Map<String, String> V2_ROUTES = Map.of(
      "POST /v2/email/outbound-emails", "SendEmail",
      "GET /v2/email/account", "GetAccount");
  private static final String V2_IDENTITY_PATH = "/v2/email/identities/";

  /** Verified identities in the order they were verified, lower case; VerifyEmailIdentity adds to them. */
  private final Set<String> verifiedIdentities = Collections.synchronizedSet(new LinkedHashSet<>());

  public SesApi(Outbox outbox, Clock clock, ObjectMapper json, boolean sandbox, List<String> verifiedIdentities) {
    this.outbox = outbox;
    this.clock = clock;
    this.json = json;
    this.sandbox = sandbox;
    verifiedIdentities.forEach(identity -> this.verifiedIdentities.add(identity.toLowerCase(Locale.ROOT)));
  }

  /** The SES v2 operation at {@code method path}, null when local-cloud does not serve it. */
  public static String v2Operation(String method, String path) {
    if ("GET".equals(method) && path.startsWith(V2_IDENTITY_PATH) && path.length() > V2_IDENTITY_PATH.length()) {
      return "GetEmailIdentity";
    }
    return V2_ROUTES.get(method + " " + path);
  }

  /** Serves the SES v2 {@code operation} (see {@link #v2Operation}) at {@code path}. */
  public ObjectNode handleV2(String operation, String path, JsonNode input) {
    return switch (operation) {
      case "SendEmail" -> sendEmailV2(input);
      case "GetAccount" -> getAccount();
      case "GetEmailIdentity" -> getEmailIdentity(URLDecoder.decode(path.substring(V2_IDENTITY_PATH.length()), StandardCharsets.UTF_8));
      default -> throw new AwsServiceException(404, "NotFoundException", "Unsupported SES v2 operation " + operation);
    };
  }

  private ObjectNode getAccount() {
    ObjectNode reply = json.createObjectNode();
    reply.put("DedicatedIpAutoWarmupEnabled", false);
    reply.put("EnforcementStatus", "HEALTHY");
    reply.put("ProductionAccessEnabled", !sandbox);
    reply.put("SendingEnabled", true);
    ObjectNode quota = reply.putObject("SendQuota");
    quota.put("Max24HourSend", max24HourSend());
    quota.put("MaxSendRate", maxSendRate());
    quota.put("SentLast24Hours", (double) sentLast24Hours());
    return reply;
  }

  private ObjectNode getEmailIdentity(String identity) {
    if (!verifiedIdentities.contains(identity.toLowerCase(Locale.ROOT))) {
      throw new AwsServiceException(404, "NotFoundException", "Email identity " + identity + " does not exist.");
    }
    ObjectNode reply = json.createObjectNode();
    reply.put("IdentityType", identity.contains("@") ? "EMAIL_ADDRESS" : "DOMAIN");
    reply.put("FeedbackForwardingStatus", true);
    reply.put("VerifiedForSendingStatus", true);
    reply.put("VerificationStatus", "SUCCESS");
    reply.putObject("DkimAttributes").put("SigningEnabled", false).put("Status", "NOT_STARTED");
    return reply;
  }

  /** Sandbox accounts get SES's sandbox quota (200 a day, 1 a second); others the usual starting production quota. */
  private double max24HourSend() {
    return sandbox ? 200.0 : 50_000.0;
  }

  private double maxSendRate() {
    return sandbox ? 1.0 : 14.0;
  }

  private long sentLast24Hours() {
    Instant since = clock.instant().minus(Duration.ofHours(24));
    return outbox.messages().stream().filter(message -> message.sentAt().isAfter(since)).count();
  }

  /** SES v2 {@code POST /v2/email/outbound-emails}. */
  public ObjectNode sendEmailV2(JsonNode input) {
    JsonNode destination = input.path("Destination");
    List<String> to = list(destination.path("ToAddresses"));
    List<String> cc = list(destination.path("CcAddresses"));
    List<String> bcc = list(destination.path("BccAddresses"));
    String from = text(input.path("FromEmailAddress"));
    Map<String, String> tags = new LinkedHashMap<>();
    input.path("EmailTags").forEach(tag -> tags.put(tag.path("Name").asText(), tag.path("Value").asText()));
    JsonNode content = input.path("Content");
    String messageId = newMessageId();
    byte[] mime;
    if (content.has("Raw")) {
      mime = decodeBase64(content.path("Raw").path("Data").asText(""));
      Map<String, String> headers = MimeMessages.headers(mime);
      if (from == null) {
        from = headers.containsKey("from") ? MimeMessages.bareAddress(headers.get("from")) : null;
      }
      if (to.isEmpty() && cc.isEmpty() && bcc.isEmpty()) {
        to = MimeMessages.addresses(headers.get("to"));
        cc = MimeMessages.addresses(headers.get("cc"));
        bcc = MimeMessages.addresses(headers.get("bcc"));
      }
    } else if (content.has("Simple")) {
      JsonNode simple = content.path("Simple");
      requireFrom(from);
      mime = MimeMessages.build(messageId, from, to, cc, text(simple.path("Subject").path("Data")),
          text(simple.path("Body").path("Text").path("Data")), text(simple.path("Body").path("Html").path("Data")),
          clock.instant());
    } else {
      throw new AwsServiceException(400, "BadRequestException", "Content must hold Simple, Raw or Template content");
    }
    send(messageId, from, to, cc, bcc, mime, tags, true);
    ObjectNode reply = json.createObjectNode();
    reply.put("MessageId", messageId);
    return reply;
  }

  /** SES v1 Query actions. */
  public String handleQuery(String action, Map<String, String> params, String requestId) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (int i = 1; params.containsKey("Tags.member." + i + ".Name"); i++) {
      tags.put(params.get("Tags.member." + i + ".Name"), params.getOrDefault("Tags.member." + i + ".Value", ""));
    }
    String messageId = newMessageId();
    switch (action) {
      case "VerifyEmailIdentity" -> {
        String address = params.get("EmailAddress");
        if (address == null) {
          throw new AwsServiceException(400, "ValidationError",
              "1 validation error detected: Value null at 'emailAddress' failed to satisfy constraint: Member must not be null");
        }
        requireWellFormed(address, false);
        // SES mails a link and the identity stays Pending until it is followed; here it is followed at once.
        verifiedIdentities.add(address.toLowerCase(Locale.ROOT));
        return QueryXml.response(action, NAMESPACE).finish(action, requestId);
      }
      case "ListIdentities" -> {
        String type = params.get("IdentityType");
        if (type != null && !type.equals("EmailAddress") && !type.equals("Domain")) {
          throw new AwsServiceException(400, "ValidationError", "1 validation error detected: Value '" + type
              + "' at 'identityType' failed to satisfy constraint: Member must satisfy enum value set: [EmailAddress, Domain]");
        }
        QueryXml reply = QueryXml.response(action, NAMESPACE).open("Identities");
        List<String> identities;
        synchronized (verifiedIdentities) {
          identities = List.copyOf(verifiedIdentities);
        }
        identities.stream().filter(identity -> type == null || identity.contains("@") == type.equals("EmailAddress"))
            .forEach(identity -> reply.element("member", identity));
        return reply.close("Identities").finish(action, requestId);
      }
      case "GetSendQuota" -> {
        return QueryXml.response(action, NAMESPACE)
            .element("Max24HourSend", Double.toString(max24HourSend()))
            .element("MaxSendRate", Double.toString(maxSendRate()))
            .element("SentLast24Hours", Double.toString(sentLast24Hours()))
            .finish(action, requestId);
      }
      case "SendEmail" -> {
        String from = params.get("Source");
        requireFrom(from);
        List<String> to = members(params, "Destination.ToAddresses");
        List<String> cc = members(params, "Destination.CcAddresses");
        List<String> bcc = members(params, "Destination.BccAddresses");
        byte[] mime = MimeMessages.build(messageId, from, to, cc, params.get("Message.Subject.Data"),
            params.get("Message.Body.Text.Data"), params.get("Message.Body.Html.Data"), clock.instant());
        send(messageId, from, to, cc, bcc, mime, tags, false);
      }
      case "SendRawEmail" -> {
        String data = params.get("RawMessage.Data");
        if (data == null) {
          throw new AwsServiceException(400, "ValidationError", "1 validation error detected: Value null at 'rawMessage' failed to satisfy constraint: Member must not be null");
        }
        if (data.length() > MAX_V1_RAW_MESSAGE_BYTES) {
          throw new AwsServiceException(400, "InvalidParameterValue",
              "Message length is more than " + MAX_V1_RAW_MESSAGE_BYTES + " bytes long: '" + data.length() + "'.");
        }
        byte[] mime = decodeBase64(data);
        Map<String, String> headers = MimeMessages.headers(mime);
        String from = params.containsKey("Source") ? MimeMessages.bareAddress(params.get("Source"))
            : headers.containsKey("from") ? MimeMessages.bareAddress(headers.get("from")) : null;
        requireFrom(from);
        List<String> to = members(params, "Destinations");
        List<String> cc = List.of();
        List<String> bcc = List.of();
        if (to.isEmpty()) {
          to = MimeMessages.addresses(headers.get("to"));
          cc = MimeMessages.addresses(headers.get("cc"));
          bcc = MimeMessages.addresses(headers.get("bcc"));
        }
        send(messageId, from, to, cc, bcc, mime, tags, false);
      }
      default -> throw new AwsServiceException(400, "InvalidAction", "Could not find operation " + action + " for version " + VERSION);
    }
    return QueryXml.response(action, NAMESPACE).element("MessageId", messageId).finish(action, requestId);
  }

  private void send(String messageId, String from, List<String> to, List<String> cc, List<String> bcc, byte[] mime,
      Map<String, String> tags, boolean v2) {
    requireFrom(from);
    List<String> recipients = new ArrayList<>(to);
    recipients.addAll(cc);
    recipients.addAll(bcc);
    requireWellFormed(from, v2);
    recipients.forEach(address -> requireWellFormed(address, v2));
    if (recipients.isEmpty()) {
      throw new AwsServiceException(400, "MessageRejected", "The message has no recipients.");
    }
    if (recipients.size() > MAX_RECIPIENTS) {
      throw invalidParameter(v2, "Recipient count exceeds 50.");
    }
    if (mime.length > MAX_MESSAGE_BYTES) {
      throw new AwsServiceException(400, "MessageRejected", "Message length is more than 40 megabytes.");
    }
    // SES refuses an unverified sender in and out of the sandbox; only recipients are free outside it.
    List<String> unverified = new ArrayList<>();
    if (!verified(from)) {
      unverified.add(from);
    }
    if (sandbox) {
      recipients.stream().filter(address -> !verified(address) && !simulator(address)).forEach(unverified::add);
    }
    if (!unverified.isEmpty()) {
      throw new AwsServiceException(400, "MessageRejected", "Email address is not verified. The following identities "
          + "failed the check in region US-EAST-1: " + String.join(", ", unverified));
    }
    outbox.add(new OutboxMessage(messageId, from, recipients, mime, tags, clock.instant()));
  }

  /** SES v1 names a bad parameter InvalidParameterValue; v2's model has only BadRequestException for it. */
  private static AwsServiceException invalidParameter(boolean v2, String message) {
    return new AwsServiceException(400, v2 ? "BadRequestException" : "InvalidParameterValue", message);
  }

  private static void requireWellFormed(String address, boolean v2) {
    if (address.indexOf('@') < 0) {
      throw invalidParameter(v2, "Missing final '@domain'");
    }
    if (!ADDRESS.matcher(address).matches()) {
      throw invalidParameter(v2, "Domain contains illegal character or is missing in address: " + address);
    }
  }

  /** success@, bounce@, ooto@, complaint@, suppressionlist@ the simulator, labels ({@code success+x@}) included. */
  static boolean simulator(String address) {
    String lower = address.toLowerCase(Locale.ROOT);
    int at = lower.lastIndexOf('@');
    if (at < 0 || !lower.substring(at + 1).equals(SIMULATOR_DOMAIN)) {
      return false;
    }
    String local = lower.substring(0, at);
    int plus = local.indexOf('+');
    return SIMULATOR_MAILBOXES.contains(plus < 0 ? local : local.substring(0, plus));
  }

  private boolean verified(String address) {
    String lower = address.toLowerCase(Locale.ROOT);
    int at = lower.lastIndexOf('@');
    return verifiedIdentities.contains(lower) || at >= 0 && verifiedIdentities.contains(lower.substring(at + 1));
  }

  private static void requireFrom(String from) {
    if (from == null || from.isBlank()) {
      throw new AwsServiceException(400, "MessageRejected", "Missing required header 'From'.");
    }
  }

  private static byte[] decodeBase64(String data) {
    try {
      return Base64.getMimeDecoder().decode(data);
    } catch (IllegalArgumentException e) {
      throw new AwsServiceException(400, "InvalidParameterValue", "RawMessage.Data is not base64");
    }
  }

  private String newMessageId() {
    Instant now = clock.instant();
    return String.format(Locale.ROOT, "0100%012x-%s-000000", now.toEpochMilli(), UUID.randomUUID());
  }

  private static List<String> members(Map<String, String> params, String prefix) {
    List<String> values = new ArrayList<>();
    for (int i = 1; params.containsKey(prefix + ".member." + i); i++) {
      values.add(MimeMessages.bareAddress(params.get(prefix + ".member." + i)));
    }
    return values;
  }

  private static List<String> list(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(MimeMessages.bareAddress(value.asText())));
    return values;
  }

  private static String text(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? null : node.asText();
  }
}
