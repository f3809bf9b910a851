package io.casefeed.app.tools;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.GetEmailIdentityResponse;

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
    Map<String, Object> settings = new java.util.HashMap<>(config.kafkaClientSettings());
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

  /** The schema registry answers the Confluent REST API. */
  public SetupCheck schemaRegistry() {
    String url = config.schemaRegistryUrl();
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.replaceAll("/$", "") + "/subjects"))
          .timeout(Duration.ofSeconds(15)).GET();
      var userInfo = config.schemaRegistryUserInfo();
      if (userInfo != null && !userInfo.value().isEmpty()) {
        request.header("Authorization", "Basic " + java.util.Base64.getEncoder()
            .encodeToString(userInfo.value().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      }
      HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
      results.add(response.statusCode() == 200
          ? new Result(true, "schema registry", url + " answers")
          : new Result(false, "schema registry", url + " answered HTTP " + response.statusCode()));
    } catch (Exception e) {
      results.add(new Result(false, "schema registry", "cannot reach " + url + ": " + rootMessage(e)));
    }
    return this;
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

  static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
