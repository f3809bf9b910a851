package io.casefeed.app.tools;

import io.casefeed.common.kafka.KafkaClientSettings;
import io.casefeed.common.config.CommonConfig;
import io.casefeed.schemas.TopicSpec;
import io.casefeed.schemas.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.GetEmailIdentityResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Verifies a production setup before anything starts: what would otherwise surface as a crash loop
 * or silent loss an hour later, reported as one line per check.
 */
public final class SetupCheck {

  /** One check's outcome. */
  public record Result(boolean ok, String subject, String detail) {
    @Override
    public String toString() {
      return (ok ? "ok    " : "FAIL  ") + subject + ": " + detail;
    }
  }

  private final CommonConfig config;
  private final List<Result> results = new ArrayList<>();

  public SetupCheck(CommonConfig config) {
    this.config = config;
  }

  public List<Result> results() {
    return List.copyOf(results);
  }

  public boolean allOk() {
    return results.stream().allMatch(Result::ok);
  }

  /** Kafka answers, every catalogue topic exists as the catalogue says, and this client may read and write it. */
  public SetupCheck kafka(Collection<TopicSpec> topics) {
    Map<String, Object> settings = KafkaClientSettings.admin(config.kafkaClientSettings());
    settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
    settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    try (Admin admin = Admin.create(settings)) {
      int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
      results.add(new Result(true, "kafka", settings.get("bootstrap.servers") + " answers (" + brokers + " broker(s))"));
      for (TopicSpec spec : topics) {
        checkTopic(admin, spec, brokers);
      }
    } catch (Exception e) {
      results.add(new Result(false, "kafka", "cannot reach " + settings.get("bootstrap.servers") + ": " + rootMessage(e)));
    }
    return this;
  }

  private void checkTopic(Admin admin, TopicSpec spec, int brokers) throws InterruptedException {
    String name = config.topicName(spec.name());
    String subject = "topic " + name;
    try {
      TopicDescription description = admin.describeTopics(List.of(name), new DescribeTopicsOptions().includeAuthorizedOperations(true))
          .allTopicNames().get(30, TimeUnit.SECONDS).get(name);
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
      Config topicConfig = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
      List<String> problems = new ArrayList<>();
      String policy = topicConfig.get("cleanup.policy").value();
      if (!policy.contains(spec.cleanupPolicy().kafkaValue())) {
        problems.add("cleanup.policy is " + policy + ", expected " + spec.cleanupPolicy().kafkaValue());
      }
      int partitions = description.partitions().size();
      if (partitions < spec.defaultPartitions()) {
        problems.add(partitions + " partitions, expected " + spec.defaultPartitions()
            + (spec == Topics.ACCOUNTS ? " (the ceiling on collector instances)" : ""));
      }
      int replicas = description.partitions().get(0).replicas().size();
      int wanted = Math.min(config.replicationFactor(), brokers);
      if (replicas < wanted) {
        problems.add("replication " + replicas + ", expected " + config.replicationFactor());
      }
      Set<AclOperation> allowed = description.authorizedOperations();
      if (allowed != null && !allowed.isEmpty() && !(allowed.contains(AclOperation.ALL)
          || allowed.contains(AclOperation.READ) && allowed.contains(AclOperation.WRITE))) {
        problems.add("this client may not read and write it (allowed: " + allowed + ")");
      }
      results.add(problems.isEmpty()
          ? new Result(true, subject, partitions + " partitions, " + policy + ", replication " + replicas)
          : new Result(false, subject, String.join("; ", problems)));
    } catch (ExecutionException e) {
      results.add(new Result(false, subject, e.getCause() instanceof UnknownTopicOrPartitionException
          ? "does not exist (create it, or start an app with topic.create=true)" : rootMessage(e)));
    } catch (java.util.concurrent.TimeoutException e) {
      results.add(new Result(false, subject, "no answer within 30 s"));
    }
  }

  /** The most of the registry's {@code /subjects} reply that {@code check} reads; a real one is a few KB. */
  static final int MAX_REGISTRY_REPLY_BYTES = 1024 * 1024;

  /**
   * The schema registry answers the Confluent REST API: {@code GET /subjects} gives 200 and a JSON array of
   * strings. Anything else (an HTML login page, a proxy's error, a body past {@link #MAX_REGISTRY_REPLY_BYTES},
   * read no further) fails the check with what was seen.
   */
  public SetupCheck schemaRegistry() {
    String url = config.schemaRegistryUrl();
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.replaceAll("/$", "") + "/subjects"))
          .timeout(Duration.ofSeconds(15)).header("Accept", "application/vnd.schemaregistry.v1+json, application/json").GET();
      var userInfo = config.schemaRegistryUserInfo();
      if (userInfo != null && !userInfo.value().isEmpty()) {
        request.header("Authorization", "Basic " + java.util.Base64.getEncoder()
            .encodeToString(userInfo.value().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      }
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      HttpResponse<java.io.InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      byte[] body;
      try (java.io.InputStream in = response.body()) {
        body = in.readNBytes(MAX_REGISTRY_REPLY_BYTES + 1);
      }
      results.add(registryResult(url, response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), body));
    } catch (Exception e) {
      results.add(new Result(false, "schema registry", "cannot reach " + url + ": " + rootMessage(e)));
    }
    return this;
  }

  /** What a {@code GET /subjects} reply says about the registry; pure, so each bad reply has a unit test. */
  static Result registryResult(String url, int status, String contentType, byte[] body) {
    String subject = "schema registry";
    if (status != 200) {
      return new Result(false, subject, url + " answered HTTP " + status);
    }
    if (body.length > MAX_REGISTRY_REPLY_BYTES) {
      return new Result(false, subject, url + " answered more than " + MAX_REGISTRY_REPLY_BYTES
          + " bytes to GET /subjects; that is not a schema registry");
    }
    String type = contentType.toLowerCase(java.util.Locale.ROOT);
    if (!type.isEmpty() && !type.contains("json")) {
      return new Result(false, subject, url + " answered " + contentType.split(";")[0].strip()
          + ", not JSON: is the URL a schema registry (or a login page or proxy in front of it)?");
    }
    try {
      com.fasterxml.jackson.databind.JsonNode subjects = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
      if (subjects == null || !subjects.isArray()) {
        return new Result(false, subject, url + " answered JSON that is not the list of subjects");
      }
      for (com.fasterxml.jackson.databind.JsonNode name : subjects) {
        if (!name.isTextual()) {
          return new Result(false, subject, url + " answered a list of subjects holding a " + name.getNodeType());
        }
      }
      return new Result(true, subject, url + " answers (" + subjects.size() + " subjects)");
    } catch (java.io.IOException e) {
      return new Result(false, subject, url + " answered a body that is not JSON");
    }
  }

  /** The bucket takes a write under the prefix (and the probe object is removed again). */
  public SetupCheck bucketWritable(S3Client s3, String bucket, String prefix) {
    String key = (prefix == null || prefix.isEmpty() ? "" : prefix.replaceAll("/$", "") + "/") + "_casefeed_check/" + UUID.randomUUID();
    try {
      s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("casefeed check"));
      s3.deleteObject(b -> b.bucket(bucket).key(key));
      results.add(new Result(true, "s3://" + bucket, "writable under " + key.substring(0, key.lastIndexOf('/'))));
    } catch (Exception e) {
      results.add(new Result(false, "s3://" + bucket, "cannot write " + key + ": " + rootMessage(e)));
    }
    return this;
  }

  /** SES may send from this identity (an address or a domain). */
  public SetupCheck sesIdentity(SesV2Client ses, String identity) {
    try {
      GetEmailIdentityResponse response = ses.getEmailIdentity(b -> b.emailIdentity(identity));
      results.add(Boolean.TRUE.equals(response.verifiedForSendingStatus())
          ? new Result(true, "ses identity " + identity, "verified for sending")
          : new Result(false, "ses identity " + identity, "not verified for sending (status " + response.verificationStatusAsString() + ")"));
    } catch (Exception e) {
      results.add(new Result(false, "ses identity " + identity, rootMessage(e)));
    }
    return this;
  }

  /**
   * The queue of AWS Support events answers GetQueueAttributes (as the collector's grant allows): its
   * depth, and through its redrive policy its dead-letter queue, whose depth must be 0. A message there
   * failed 5 hand-offs or could not be delivered by EventBridge: the polls still find the change, but
   * something is wrong. A queue without a redrive policy fails: a message that keeps failing would
   * then come back for ever instead of being kept aside.
   */
  public SetupCheck eventsQueue(SqsClient sqs, String queueUrl) {
    String subject = "events queue " + queueName(queueUrl);
    Map<QueueAttributeName, String> attributes;
    try {
      attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.ALL)).attributes();
    } catch (Exception e) {
      results.add(new Result(false, subject, "GetQueueAttributes on " + queueUrl + " failed: " + rootMessage(e)));
      return this;
    }
    results.add(new Result(true, subject, depth(attributes)));
    String redrive = attributes.get(QueueAttributeName.REDRIVE_POLICY);
    String dlqArn = redrive == null ? null : deadLetterTarget(redrive);
    if (dlqArn == null) {
      results.add(new Result(false, subject + " dead-letter queue", "none: the queue has no redrive policy "
          + "(deploy/cloudformation/casefeed-events.yaml sets one)"));
      return this;
    }
    String dlqName = dlqArn.substring(dlqArn.lastIndexOf(':') + 1);
    String dlqSubject = "events dead-letter queue " + dlqName;
    try {
      String dlqUrl = queueUrl.substring(0, queueUrl.replaceAll("/$", "").lastIndexOf('/') + 1) + dlqName;
      Map<QueueAttributeName, String> dlq = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl)
          .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
          .attributes();
      long messages = count(dlq, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
          + count(dlq, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
      results.add(messages == 0
          ? new Result(true, dlqSubject, "empty")
          : new Result(false, dlqSubject, messages + " message(s): events that failed their hand-off 5 times or that "
              + "EventBridge could not deliver; see docs/events.md"));
    } catch (Exception e) {
      results.add(new Result(false, dlqSubject, "GetQueueAttributes failed: " + rootMessage(e)));
    }
    return this;
  }

  /**
   * Per followed account, when casefeed last took one of its AWS Support events off the queue: the
   * latest record timestamp under its key in {@code casefeed.support-events} (the collector stamps each
   * with its receivedAt). The followed accounts are the live keys of the compacted {@code casefeed.accounts}.
   * Neither value is decoded, so the check needs no schema registry. An account with no event is
   * reported, not failed: it may simply have had no case activity within the topic's retention.
   */
  public SetupCheck lastEvents() {
    String eventsTopic = config.topicName(Topics.SUPPORT_EVENTS.name());
    String accountsTopic = config.topicName(Topics.ACCOUNTS.name());
    Map<String, Object> settings = KafkaClientSettings.reader(config.kafkaClientSettings());
    settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "casefeed-check-" + UUID.randomUUID());
    settings.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
    Map<String, Boolean> followed = new TreeMap<>();
    Map<String, Long> lastSeen = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(accountsTopic, eventsTopic)) {
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions));
      ends.values().removeIf(end -> end == 0);
      for (int polls = 0; !ends.isEmpty() && polls < MAX_READ_POLLS; polls++) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.key() == null) {
            continue;
          }
          if (record.topic().equals(accountsTopic)) {
            followed.put(record.key(), record.value() != null);
          } else {
            lastSeen.merge(record.key(), record.timestamp(), Math::max);
          }
        }
        ends.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
      }
      if (!ends.isEmpty()) {
        results.add(new Result(false, "last events", "could not read " + ends.keySet() + " to its end within "
            + MAX_READ_POLLS / 2 + " s"));
        return this;
      }
    } catch (Exception e) {
      results.add(new Result(false, "last events", "reading " + eventsTopic + " and " + accountsTopic + " failed: " + rootMessage(e)));
      return this;
    }
    followed.forEach((accountId, live) -> {
      if (live) {
        Long seen = lastSeen.get(accountId);
        results.add(new Result(true, "last event " + accountId, seen == null ? "none seen"
            : java.time.Instant.ofEpochMilli(seen).toString()));
      }
    });
    lastSeen.keySet().stream().filter(a -> !Boolean.TRUE.equals(followed.get(a))).sorted().forEach(accountId ->
        results.add(new Result(true, "last event " + accountId, java.time.Instant.ofEpochMilli(lastSeen.get(accountId))
            + " (account no longer followed)")));
    return this;
  }

  /** Half-second polls allowed for reading both topics to their end. */
  private static final int MAX_READ_POLLS = 120;

  private static String depth(Map<QueueAttributeName, String> attributes) {
    String text = count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES) + " waiting, "
        + count(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE) + " in flight";
    String visibility = attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT);
    return visibility == null ? text : text + ", visibility timeout " + visibility + " s";
  }

  private static long count(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
    String value = attributes.get(name);
    return value == null || value.isBlank() ? 0 : Long.parseLong(value.trim());
  }

  /** The deadLetterTargetArn of a redrive policy (JSON); null when it names none. */
  static String deadLetterTarget(String redrivePolicy) {
    try {
      com.fasterxml.jackson.databind.JsonNode target = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(redrivePolicy).path("deadLetterTargetArn");
      return target.isTextual() && !target.asText().isBlank() ? target.asText() : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static String queueName(String queueUrl) {
    String trimmed = queueUrl.replaceAll("/$", "");
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }

  static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
