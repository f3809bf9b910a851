package io.casefeed.localcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.common.testing.ExternalProgram;
import io.casefeed.localcloud.sns.PublishedMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sns.model.SnsException;

/**
 * local-cloud's SNS through clients it did not write: the AWS SDK v2, Debian's AWS CLI and boto3.
 * Each publish must be recorded once, with its attributes, and a FIFO topic must drop a repeated
 * deduplication id as SNS does.
 */
class SnsIT {

  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path workDir;
  static LocalCloud cloud;

  @BeforeAll
  static void start() {
    cloud = LocalCloud.start(LocalCloudOptions.builder().dataDir(workDir.resolve("data")).scenario(SupportApiIT.SCENARIO).build());
    cloud.simulation().pause();
  }

  @AfterAll
  static void stop() {
    cloud.close();
  }

  private static SnsClient sns(String secret) {
    return SnsClient.builder().endpointOverride(cloud.awsEndpoint()).region(Region.EU_WEST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(cloud.accessKeyId(), secret)))
        .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
  }

  private static List<PublishedMessage> on(String arn) {
    return cloud.snsMessages().stream().filter(m -> m.topicArn().equals(arn)).toList();
  }

  @Test
  void sdkCreatesListsAndPublishesWithAttributesToAStandardTopic() {
    try (SnsClient sns = sns(cloud.secretAccessKey())) {
      String arn = sns.createTopic(r -> r.name("sdk-alerts")).topicArn();
      assertThat(arn).isEqualTo("arn:aws:sns:eu-west-1:" + cloud.managementAccountId() + ":sdk-alerts");
      assertThat(sns.createTopic(r -> r.name("sdk-alerts")).topicArn()).as("CreateTopic is idempotent").isEqualTo(arn);
      assertThat(sns.listTopics().topics()).anySatisfy(t -> assertThat(t.topicArn()).isEqualTo(arn));

      PublishResponse published = sns.publish(r -> r.topicArn(arn).subject("Case 42").message("{\"case\":42}")
          .messageAttributes(Map.of("severity", MessageAttributeValue.builder().dataType("String").stringValue("urgent").build(),
              "account", MessageAttributeValue.builder().dataType("String").stringValue("111122223333").build())));
      assertThat(published.messageId()).isNotBlank();
      assertThat(published.sequenceNumber()).as("a standard topic has no sequence").isNull();

      List<PublishedMessage> messages = on(arn);
      assertThat(messages).hasSize(1);
      PublishedMessage message = messages.get(0);
      assertThat(message.messageId()).isEqualTo(published.messageId());
      assertThat(message.subject()).isEqualTo("Case 42");
      assertThat(message.message()).isEqualTo("{\"case\":42}");
      assertThat(message.attributes()).containsEntry("severity", "urgent").containsEntry("account", "111122223333");
      assertThat(Files.exists(cloud.snsDir())).isTrue();

      assertThatThrownBy(() -> sns.publish(r -> r.topicArn(arn.replace("sdk-alerts", "absent")).message("x")))
          .isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> sns.publish(r -> r.topicArn(arn).message("")))
          .isInstanceOf(InvalidParameterException.class);
    }
  }

  @Test
  void aFifoTopicKeepsGroupAndDropsARepeatedDeduplicationId() {
    try (SnsClient sns = sns(cloud.secretAccessKey())) {
      String arn = sns.createTopic(r -> r.name("sdk-alerts.fifo").attributes(Map.of("FifoTopic", "true"))).topicArn();
      PublishResponse first = sns.publish(r -> r.topicArn(arn).message("one").messageGroupId("case-7")
          .messageDeduplicationId("notification-1"));
      PublishResponse again = sns.publish(r -> r.topicArn(arn).message("one").messageGroupId("case-7")
          .messageDeduplicationId("notification-1"));
      PublishResponse other = sns.publish(r -> r.topicArn(arn).message("two").messageGroupId("case-7")
          .messageDeduplicationId("notification-2"));
      assertThat(again.messageId()).isEqualTo(first.messageId());
      assertThat(other.messageId()).isNotEqualTo(first.messageId());
      assertThat(first.sequenceNumber()).isNotBlank();
      assertThat(on(arn)).extracting(PublishedMessage::message).containsExactly("one", "two");
      assertThat(on(arn)).allSatisfy(m -> assertThat(m.groupId()).isEqualTo("case-7"));
      assertThatThrownBy(() -> sns.publish(r -> r.topicArn(arn).message("no group").messageDeduplicationId("d")))
          .isInstanceOf(InvalidParameterException.class);
    }
  }

  @Test
  void aWrongSecretIsRefusedBySignature() {
    try (SnsClient sns = sns("not-the-secret")) {
      assertThatThrownBy(() -> sns.listTopics()).isInstanceOfSatisfying(SnsException.class,
          e -> assertThat(e.statusCode()).isEqualTo(403));
    }
  }

  @Test
  void debiansAwsCliCreatesAndPublishes() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ACCESS_KEY_ID", cloud.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", cloud.secretAccessKey());
    String endpoint = cloud.awsEndpoint().toString();
    JsonNode created = JSON.readTree(ExternalProgram.run(workDir, env, List.of(ExternalProgram.AWS_CLI, "sns", "create-topic",
        "--name", "cli-alerts", "--endpoint-url", endpoint, "--output", "json")));
    String arn = created.path("TopicArn").asText();
    assertThat(arn).endsWith(":cli-alerts");
    JsonNode published = JSON.readTree(ExternalProgram.run(workDir, env, List.of(ExternalProgram.AWS_CLI, "sns", "publish",
        "--topic-arn", arn, "--message", "from the cli", "--subject", "cli",
        "--message-attributes", "{\"severity\":{\"DataType\":\"String\",\"StringValue\":\"high\"}}",
        "--endpoint-url", endpoint, "--output", "json")));
    List<PublishedMessage> messages = on(arn);
    assertThat(messages).hasSize(1);
    assertThat(messages.get(0).messageId()).isEqualTo(published.path("MessageId").asText());
    assertThat(messages.get(0).message()).isEqualTo("from the cli");
    assertThat(messages.get(0).attributes()).containsEntry("severity", "high");
    JsonNode listed = JSON.readTree(ExternalProgram.run(workDir, env, List.of(ExternalProgram.AWS_CLI, "sns", "list-topics",
        "--endpoint-url", endpoint, "--output", "json")));
    assertThat(listed.path("Topics").findValuesAsText("TopicArn")).contains(arn);
  }

  @Test
  void boto3PublishesDeduplicatesAndBatches() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("LOCALCLOUD_AWS", cloud.awsEndpoint().toString());
    env.put("AWS_ACCESS_KEY_ID", cloud.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", cloud.secretAccessKey());
    JsonNode reply = JSON.readTree(ExternalProgram.run(workDir, env, List.of(ExternalProgram.PYTHON,
        ExternalProgram.resource("python/boto3_sns.py").toString())));
    String arn = reply.path("arn").asText();
    assertThat(arn).isEqualTo("arn:aws:sns:eu-west-1:" + cloud.managementAccountId() + ":boto3-alerts.fifo");
    assertThat(reply.path("again").asText()).isEqualTo(reply.path("first").asText());
    assertThat(reply.path("sequence").asText()).isNotBlank();
    assertThat(reply.path("batch")).extracting(JsonNode::asText).containsExactly("a", "b");
    assertThat(reply.path("failed").asInt()).isZero();
    assertThat(reply.path("missing").asText()).isEqualTo("NotFound");
    assertThat(reply.path("topics")).extracting(JsonNode::asText).contains(arn);
    List<PublishedMessage> messages = on(arn);
    assertThat(messages).extracting(PublishedMessage::message).containsExactly("from boto3", "batch a", "batch b");
    assertThat(messages.get(0).attributes()).containsEntry("severity", "urgent").containsEntry("account", "123456789012");
    assertThat(messages.get(0).deduplicationId()).isEqualTo("dedup-1");
  }
}
