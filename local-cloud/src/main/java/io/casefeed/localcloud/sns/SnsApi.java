package io.casefeed.localcloud.sns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casefeed.localcloud.protocol.AwsServiceException;
import io.casefeed.localcloud.protocol.QueryXml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Amazon SNS (Query protocol, {@code Version=2010-03-31}): CreateTopic, ListTopics, Publish and
 * PublishBatch. Every accepted message is kept in order, each saved as {@code <n>-<messageId>.json}
 * under the folder (like the SES outbox) and reloaded after a restart, so tests and the demo can
 * read what subscribers would get. A FIFO topic drops a message whose MessageDeduplicationId it
 * took in the last five minutes, answering with the first message's id, as SNS does.
 */
public final class SnsApi {

  public static final String VERSION = "2010-03-31";
  public static final String NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";
  /** SNS's limit on a message, body and attributes together. */
  static final int MAX_MESSAGE_BYTES = 256 * 1024;
  static final Duration DEDUPLICATION_WINDOW = Duration.ofMinutes(5);
  private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}(\\.fifo)?");
  private static final Pattern TOPIC_ARN = Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_.-]+");
  private static final int MAX_BATCH = 10;

  private record Topic(String arn, boolean fifo, boolean contentDeduplication) {
  }

  private record Accepted(String messageId, String sequenceNumber, Instant at) {
  }

  private final Path folder;
  private final Clock clock;
  private final ObjectMapper json;
  private final Map<String, Topic> topics = new LinkedHashMap<>();
  private final List<PublishedMessage> messages = new CopyOnWriteArrayList<>();
  /** Per FIFO topic, deduplication id to the message first accepted with it. */
  private final Map<String, Map<String, Accepted>> deduplication = new HashMap<>();
  private long sequence;

  public SnsApi(Path folder, Clock clock, ObjectMapper json) {
    this.folder = folder;
    this.clock = clock;
    this.json = json;
    try {
      Files.createDirectories(folder);
      Path topicFile = folder.resolve("topics.json");
      if (Files.exists(topicFile)) {
        for (JsonNode topic : json.readTree(topicFile.toFile())) {
          topics.put(topic.path("arn").asText(), new Topic(topic.path("arn").asText(), topic.path("fifo").asBoolean(),
              topic.path("contentBasedDeduplication").asBoolean()));
        }
      }
      List<PublishedMessage> saved = new ArrayList<>();
      try (Stream<Path> files = Files.list(folder)) {
        for (Path file : files.filter(f -> f.getFileName().toString().matches("\\d+-.*\\.json")).sorted().toList()) {
          saved.add(read(file));
        }
      }
      messages.addAll(saved);
      sequence = saved.size();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the SNS folder " + folder, e);
    }
  }

  public Path folder() {
    return folder;
  }

  /** Every message accepted, oldest first. */
  public List<PublishedMessage> messages() {
    return List.copyOf(messages);
  }

  /**
   * The XML reply of {@code action}.
   *
   * @param accountId the caller's account, which owns the topics it creates
   * @param region the region of the caller's credential scope, where its topics live
   */
  public synchronized String handle(String action, Map<String, String> params, String accountId, String region,
      String requestId) {
    return switch (action) {
      case "CreateTopic" -> createTopic(params, accountId, region, requestId);
      case "ListTopics" -> {
        QueryXml reply = QueryXml.response(action, NAMESPACE).open("Topics");
        topics.keySet().forEach(arn -> reply.open("member").element("TopicArn", arn).close("member"));
        yield reply.close("Topics").finish(action, requestId);
      }
      case "Publish" -> {
        String arn = params.get("TopicArn") != null ? params.get("TopicArn") : params.get("TargetArn");
        Accepted accepted = publish(arn, params, "");
        yield QueryXml.response(action, NAMESPACE).element("MessageId", accepted.messageId())
            .element("SequenceNumber", accepted.sequenceNumber()).finish(action, requestId);
      }
      case "PublishBatch" -> publishBatch(params, requestId);
      default -> throw new AwsServiceException(400, "InvalidAction", "Could not find operation " + action + " for version " + VERSION);
    };
  }

  private String createTopic(Map<String, String> params, String accountId, String region, String requestId) {
    String name = params.get("Name");
    if (name == null || !TOPIC_NAME.matcher(name).matches()) {
      throw invalid("Invalid parameter: Topic Name");
    }
    Map<String, String> attributes = entries(params, "Attributes.entry.", "key", "value");
    boolean fifo = "true".equalsIgnoreCase(attributes.getOrDefault("FifoTopic", "false"));
    if (fifo != name.endsWith(".fifo")) {
      throw invalid("Invalid parameter: Fifo Topic names must end with .fifo and must be made up of only uppercase and "
          + "lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.");
    }
    boolean contentDeduplication = "true".equalsIgnoreCase(attributes.getOrDefault("ContentBasedDeduplication", "false"));
    String arn = "arn:aws:sns:" + region + ":" + accountId + ":" + name;
    Topic existing = topics.get(arn);
    if (existing != null && (existing.fifo() != fifo || existing.contentDeduplication() != contentDeduplication)) {
      throw invalid("Invalid parameter: Attributes Reason: Topic already exists with different attributes");
    }
    if (existing == null) {
      topics.put(arn, new Topic(arn, fifo, contentDeduplication));
      saveTopics();
    }
    return QueryXml.response("CreateTopic", NAMESPACE).element("TopicArn", arn).finish("CreateTopic", requestId);
  }

  private String publishBatch(Map<String, String> params, String requestId) {
    String arn = params.get("TopicArn");
    String prefix = "PublishBatchRequestEntries.member.";
    int count = 0;
    while (params.containsKey(prefix + (count + 1) + ".Id")) {
      count++;
    }
    if (count == 0) {
      throw new AwsServiceException(400, "EmptyBatchRequest", "The batch request doesn't contain any entries");
    }
    if (count > MAX_BATCH) {
      throw new AwsServiceException(400, "TooManyEntriesInBatchRequest", "The batch request contains more entries than permissible");
    }
    requireTopic(arn);
    QueryXml reply = QueryXml.response("PublishBatch", NAMESPACE).open("Successful");
    List<String[]> failed = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      String entry = prefix + i + ".";
      String id = params.get(entry + "Id");
      try {
        Accepted accepted = publish(arn, params, entry);
        reply.open("member").element("Id", id).element("MessageId", accepted.messageId())
            .element("SequenceNumber", accepted.sequenceNumber()).close("member");
      } catch (AwsServiceException e) {
        failed.add(new String[] {id, e.code(), e.getMessage()});
      }
    }
    reply.close("Successful").open("Failed");
    for (String[] f : failed) {
      reply.open("member").element("Id", f[0]).element("Code", f[1]).element("Message", f[2]).element("SenderFault", "true")
          .close("member");
    }
    return reply.close("Failed").finish("PublishBatch", requestId);
  }

  /** Publishes the message whose parameters start with {@code prefix} ("" for Publish, the entry's for PublishBatch). */
  private Accepted publish(String arn, Map<String, String> params, String prefix) {
    Topic topic = requireTopic(arn);
    String message = params.get(prefix + "Message");
    if (message == null || message.isEmpty()) {
      throw invalid("Invalid parameter: Empty message");
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    int bytes = message.getBytes(StandardCharsets.UTF_8).length;
    for (int i = 1; params.containsKey(prefix + "MessageAttributes.entry." + i + ".Name"); i++) {
      String entry = prefix + "MessageAttributes.entry." + i + ".";
      String name = params.get(entry + "Name");
      String type = params.get(entry + "Value.DataType");
      String value = params.get(entry + "Value.StringValue");
      if (type == null || !(type.startsWith("String") || type.startsWith("Number"))) {
        throw new AwsServiceException(400, "ParameterValueInvalid", "The message attribute '" + name
            + "' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.");
      }
      if (value == null || value.isEmpty()) {
        throw new AwsServiceException(400, "ParameterValueInvalid", "The message attribute '" + name
            + "' must contain non-empty message attribute value for message attribute type '" + type + "'.");
      }
      attributes.put(name, value);
      bytes += name.length() + type.length() + value.getBytes(StandardCharsets.UTF_8).length;
    }
    if (bytes > MAX_MESSAGE_BYTES) {
      throw invalid("Invalid parameter: Message too long");
    }
    String groupId = params.get(prefix + "MessageGroupId");
    String deduplicationId = params.get(prefix + "MessageDeduplicationId");
    Instant now = clock.instant();
    if (!topic.fifo()) {
      if (deduplicationId != null) {
        throw invalid("Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId "
            + "parameter that is not valid for this topic type");
      }
      Accepted accepted = new Accepted(UUID.randomUUID().toString(), null, now);
      record(new PublishedMessage(topic.arn(), accepted.messageId(), params.get(prefix + "Subject"), message, attributes,
          groupId, null, null, now));
      return accepted;
    }
    if (groupId == null) {
      throw invalid("Invalid parameter: The MessageGroupId parameter is required for FIFO topics");
    }
    if (deduplicationId == null) {
      if (!topic.contentDeduplication()) {
        throw invalid("Invalid parameter: The topic should either have ContentBasedDeduplication enabled or "
            + "MessageDeduplicationId provided explicitly");
      }
      deduplicationId = sha256(message);
    }
    Map<String, Accepted> seen = deduplication.computeIfAbsent(topic.arn(), a -> new HashMap<>());
    seen.values().removeIf(a -> a.at().plus(DEDUPLICATION_WINDOW).isBefore(now));
    Accepted earlier = seen.get(deduplicationId);
    if (earlier != null) {
      return earlier;
    }
    Accepted accepted = new Accepted(UUID.randomUUID().toString(), String.format(Locale.ROOT, "%020d", sequence + 1), now);
    seen.put(deduplicationId, accepted);
    record(new PublishedMessage(topic.arn(), accepted.messageId(), params.get(prefix + "Subject"), message, attributes,
        groupId, deduplicationId, accepted.sequenceNumber(), now));
    return accepted;
  }

  private Topic requireTopic(String arn) {
    if (arn == null || !TOPIC_ARN.matcher(arn).matches()) {
      throw invalid("Invalid parameter: TopicArn");
    }
    Topic topic = topics.get(arn);
    if (topic == null) {
      throw new AwsServiceException(404, "NotFound", "Topic does not exist");
    }
    return topic;
  }

  private void record(PublishedMessage message) {
    sequence++;
    ObjectNode node = json.createObjectNode();
    node.put("topicArn", message.topicArn());
    node.put("messageId", message.messageId());
    node.put("subject", message.subject());
    node.put("message", message.message());
    node.set("attributes", json.valueToTree(message.attributes()));
    node.put("groupId", message.groupId());
    node.put("deduplicationId", message.deduplicationId());
    node.put("sequenceNumber", message.sequenceNumber());
    node.put("publishedAt", message.publishedAt().toString());
    try {
      json.writeValue(folder.resolve(String.format(Locale.ROOT, "%08d-%s.json", sequence, message.messageId())).toFile(), node);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save SNS message " + message.messageId(), e);
    }
    messages.add(message);
  }

  private PublishedMessage read(Path file) throws IOException {
    JsonNode node = json.readTree(file.toFile());
    Map<String, String> attributes = new LinkedHashMap<>();
    node.path("attributes").fields().forEachRemaining(a -> attributes.put(a.getKey(), a.getValue().asText()));
    return new PublishedMessage(node.path("topicArn").asText(), node.path("messageId").asText(), text(node, "subject"),
        node.path("message").asText(), attributes, text(node, "groupId"), text(node, "deduplicationId"),
        text(node, "sequenceNumber"), Instant.parse(node.path("publishedAt").asText()));
  }

  private void saveTopics() {
    var array = json.createArrayNode();
    topics.values().forEach(t -> array.addObject().put("arn", t.arn()).put("fifo", t.fifo())
        .put("contentBasedDeduplication", t.contentDeduplication()));
    try {
      json.writeValue(folder.resolve("topics.json").toFile(), array);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the SNS topics", e);
    }
  }

  private static String text(JsonNode node, String field) {
    return node.path(field).isTextual() ? node.path(field).asText() : null;
  }

  private static Map<String, String> entries(Map<String, String> params, String prefix, String key, String value) {
    Map<String, String> entries = new LinkedHashMap<>();
    for (int i = 1; params.containsKey(prefix + i + "." + key); i++) {
      entries.put(params.get(prefix + i + "." + key), params.getOrDefault(prefix + i + "." + value, ""));
    }
    return entries;
  }

  private static AwsServiceException invalid(String message) {
    return new AwsServiceException(400, "InvalidParameter", message);
  }

  private static String sha256(String text) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
