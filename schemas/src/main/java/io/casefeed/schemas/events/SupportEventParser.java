package io.casefeed.schemas.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.schema.SupportEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one EventBridge {@code Support Case Update} envelope, exactly as EventBridge delivers it to SQS,
 * into a {@link SupportEvent}. Pure: no clock, no I/O. Anything that is not such an event is rejected
 * with a reason a person can act on, because the body ends up on the dead-letter topic with that reason.
 *
 * <p>Unknown fields are ignored (EventBridge and Support may add some); fields casefeed relies on are
 * checked strictly, since the account id becomes a Kafka key and the case id an API parameter.
 */
public final class SupportEventParser {

  public static final String DETAIL_TYPE = "Support Case Update";
  public static final String SOURCE = "aws.support";
  public static final Set<String> EVENT_NAMES = Set.of("CreateCase", "AddCommunicationToCase", "ResolveCase", "ReopenCase");
  public static final Set<String> ORIGINS = Set.of("AWS", "CUSTOMER");
  /** SQS's own ceiling on a message; anything larger did not come from SQS. */
  public static final int MAX_BODY_BYTES = 256 * 1024;

  private static final int MAX_DEPTH = 16;
  private static final int MAX_ID_LENGTH = 128;
  private static final int MAX_RESOURCES = 64;
  private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
  private static final Pattern CASE_ID = Pattern.compile("case-[A-Za-z0-9-]{1,120}");
  private static final Pattern DISPLAY_ID = Pattern.compile("[0-9]{1,32}");
  // EventBridge ids are UUIDs; communication ids are opaque (ekko-<hex>); both stay printable ASCII, no spaces.
  private static final Pattern OPAQUE_ID = Pattern.compile("[A-Za-z0-9._:/+=-]{1," + MAX_ID_LENGTH + "}");

  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_DEPTH).maxStringLength(MAX_BODY_BYTES).maxNumberLength(64).build())
      .build())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private SupportEventParser() {}

  /** The outcome of one parse: exactly one of {@code event} and {@code reason} is set. */
  public record Result(SupportEvent event, String reason) {
    public Result {
      if ((event == null) == (reason == null)) {
        throw new IllegalArgumentException("exactly one of event and reason");
      }
    }

    public boolean ok() {
      return event != null;
    }

    static Result rejected(String reason) {
      return new Result(null, reason);
    }
  }

  /**
   * @param body the SQS message body
   * @param receivedAt when casefeed received it
   * @param sqsMessageId the SQS message id, or null
   */
  public static Result parse(String body, Instant receivedAt, String sqsMessageId) {
    Objects.requireNonNull(receivedAt);
    if (body == null || body.isBlank()) {
      return Result.rejected("empty body");
    }
    if (body.length() > MAX_BODY_BYTES || body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
      return Result.rejected("body larger than " + MAX_BODY_BYTES + " bytes");
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return Result.rejected("not JSON: " + firstLine(e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      return Result.rejected("not a JSON object");
    }
    try {
      return new Result(read(root, receivedAt, sqsMessageId), null);
    } catch (Rejection r) {
      return Result.rejected(r.getMessage());
    }
  }

  private static SupportEvent read(JsonNode root, Instant receivedAt, String sqsMessageId) {
    String version = text(root, "version", true);
    if (!"0".equals(version)) {
      throw new Rejection("unsupported envelope version " + quote(version));
    }
    String detailType = text(root, "detail-type", true);
    if (!DETAIL_TYPE.equals(detailType)) {
      throw new Rejection("detail-type is " + quote(detailType) + ", not \"" + DETAIL_TYPE + "\"");
    }
    String source = text(root, "source", true);
    if (!SOURCE.equals(source)) {
      throw new Rejection("source is " + quote(source) + ", not \"" + SOURCE + "\"");
    }
    String id = matching(root, "id", OPAQUE_ID);
    String account = matching(root, "account", ACCOUNT);
    String region = matching(root, "region", REGION);
    Instant time = instant(root, "time");
    List<String> resources = resources(root);

    JsonNode detail = root.get("detail");
    if (detail == null || !detail.isObject()) {
      throw new Rejection("detail is missing or not an object");
    }
    String eventName = text(detail, "event-name", true);
    if (!EVENT_NAMES.contains(eventName)) {
      throw new Rejection("detail.event-name " + quote(eventName) + " is not one of " + new java.util.TreeSet<>(EVENT_NAMES));
    }
    String caseId = matching(detail, "case-id", CASE_ID);
    String displayId = optionalMatching(detail, "display-id", DISPLAY_ID);
    String communicationId = optionalMatching(detail, "communication-id", OPAQUE_ID);
    String origin = optionalText(detail, "origin");
    if (origin != null && !ORIGINS.contains(origin)) {
      throw new Rejection("detail.origin " + quote(origin) + " is not one of [AWS, CUSTOMER]");
    }
    if ("AddCommunicationToCase".equals(eventName) && communicationId == null) {
      throw new Rejection("detail.communication-id is missing for AddCommunicationToCase");
    }

    return SupportEvent.newBuilder()
        .setEventId(id).setAccountId(account).setCaseId(caseId).setDisplayId(displayId)
        .setCommunicationId(communicationId).setEventName(eventName).setOrigin(origin).setRegion(region)
        .setEventTime(time).setResources(resources).setReceivedAt(receivedAt)
        .setSqsMessageId(sqsMessageId == null || sqsMessageId.isEmpty() ? null : sqsMessageId)
        .build();
  }

  private static String text(JsonNode node, String field, boolean required) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw new Rejection(field + " is missing");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw new Rejection(field + " is not a string");
    }
    return value.textValue();
  }

  private static String optionalText(JsonNode node, String field) {
    String value = text(node, field, false);
    // Support sends "" for fields that do not apply (communication-id and origin of CreateCase).
    return value == null || value.isEmpty() ? null : value;
  }

  private static String matching(JsonNode node, String field, Pattern pattern) {
    String value = text(node, field, true);
    if (!pattern.matcher(value).matches()) {
      throw new Rejection(field + " " + quote(value) + " is not well formed");
    }
    return value;
  }

  private static String optionalMatching(JsonNode node, String field, Pattern pattern) {
    String value = optionalText(node, field);
    if (value != null && !pattern.matcher(value).matches()) {
      throw new Rejection(field + " " + quote(value) + " is not well formed");
    }
    return value;
  }

  private static Instant instant(JsonNode node, String field) {
    String value = text(node, field, true);
    try {
      // EventBridge writes ISO-8601 in UTC with a Z; offsets are accepted only as Z.
      if (!value.endsWith("Z") || value.length() > 40) {
        throw new DateTimeParseException("not UTC", value, 0);
      }
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new Rejection(field + " " + quote(value) + " is not an ISO-8601 UTC instant");
    }
  }

  private static List<String> resources(JsonNode root) {
    JsonNode value = root.get("resources");
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new Rejection("resources is not an array");
    }
    if (value.size() > MAX_RESOURCES) {
      throw new Rejection("resources has more than " + MAX_RESOURCES + " entries");
    }
    List<String> resources = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual() || item.textValue().length() > 2048) {
        throw new Rejection("resources holds a non-string or over-long entry");
      }
      resources.add(item.textValue());
    }
    return List.copyOf(resources);
  }

  /** Quotes and shortens a value for a reason: reasons go into Kafka headers and logs. */
  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder("\"");
    value.codePoints().limit(64).forEach(c -> {
      if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' || (c >= 0x80 && !Character.isLetterOrDigit(c))) {
        out.append(String.format(Locale.ROOT, "\\u%04x", c & 0xffff));
      } else {
        out.appendCodePoint(c);
      }
    });
    if (value.codePointCount(0, value.length()) > 64) {
      out.append("…");
    }
    return out.append('"').toString();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    String line = message.lines().findFirst().orElse("");
    return line.length() > 160 ? line.substring(0, 160) + "…" : line;
  }

  /** A reason to reject; never escapes this class. */
  private static final class Rejection extends RuntimeException {
    Rejection(String reason) {
      super(reason, null, false, false);
    }
  }
}
