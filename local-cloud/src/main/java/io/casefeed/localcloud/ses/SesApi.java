package io.casefeed.localcloud.ses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casefeed.localcloud.OutboxMessage;
import io.casefeed.localcloud.aws.AwsServiceException;
import io.casefeed.localcloud.aws.QueryXml;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Amazon SES: v2 {@code SendEmail} (REST JSON, simple and raw content) and v1 {@code SendEmail} /
 * {@code SendRawEmail} (Query protocol, {@code Version=2010-12-01}), all into one {@link Outbox}.
 * In sandbox mode, mail from or to an identity that is not verified is rejected, as SES does.
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
  private final List<String> verifiedIdentities;

  public SesApi(Outbox outbox, Clock clock, ObjectMapper json, boolean sandbox, List<String> verifiedIdentities) {
    this.outbox = outbox;
    this.clock = clock;
    this.json = json;
    this.sandbox = sandbox;
    this.verifiedIdentities = verifiedIdentities.stream().map(identity -> identity.toLowerCase(Locale.ROOT)).toList();
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
    send(messageId, from, to, cc, bcc, mime, tags);
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
      case "SendEmail" -> {
        String from = params.get("Source");
        requireFrom(from);
        List<String> to = members(params, "Destination.ToAddresses");
        List<String> cc = members(params, "Destination.CcAddresses");
        List<String> bcc = members(params, "Destination.BccAddresses");
        byte[] mime = MimeMessages.build(messageId, from, to, cc, params.get("Message.Subject.Data"),
            params.get("Message.Body.Text.Data"), params.get("Message.Body.Html.Data"), clock.instant());
        send(messageId, from, to, cc, bcc, mime, tags);
      }
      case "SendRawEmail" -> {
        String data = params.get("RawMessage.Data");
        if (data == null) {
          throw new AwsServiceException(400, "ValidationError", "1 validation error detected: Value null at 'rawMessage' failed to satisfy constraint: Member must not be null");
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
        send(messageId, from, to, cc, bcc, mime, tags);
      }
      default -> throw new AwsServiceException(400, "InvalidAction", "Could not find operation " + action + " for version " + VERSION);
    }
    return QueryXml.response(action, NAMESPACE).element("MessageId", messageId).finish(action, requestId);
  }

  private void send(String messageId, String from, List<String> to, List<String> cc, List<String> bcc, byte[] mime,
      Map<String, String> tags) {
    requireFrom(from);
    List<String> recipients = new ArrayList<>(to);
    recipients.addAll(cc);
    recipients.addAll(bcc);
    if (recipients.isEmpty()) {
      throw new AwsServiceException(400, "MessageRejected", "The message has no recipients.");
    }
    if (recipients.size() > 50) {
      throw new AwsServiceException(400, "MessageRejected", "Recipient count exceeds 50.");
    }
    if (mime.length > MAX_MESSAGE_BYTES) {
      throw new AwsServiceException(400, "MessageRejected", "Message length is more than 40 megabytes.");
    }
    if (sandbox) {
      List<String> unverified = new ArrayList<>();
      if (!verified(from)) {
        unverified.add(from);
      }
      recipients.stream().filter(address -> !verified(address)).forEach(unverified::add);
      if (!unverified.isEmpty()) {
        throw new AwsServiceException(400, "MessageRejected", "Email address is not verified. The following identities "
            + "failed the check in region US-EAST-1: " + String.join(", ", unverified));
      }
    }
    outbox.add(new OutboxMessage(messageId, from, recipients, mime, tags, clock.instant()));
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
