package io.casefeed.app.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.common.config.CommonConfig;
import io.casefeed.localcloud.LocalCloud;
import io.casefeed.localcloud.LocalCloudOptions;
import io.casefeed.localcloud.sqs.LocalSqs;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** {@code casefeed check}'s look at the events queue, against local-cloud's SQS with the real SDK. */
class SetupCheckEventsQueueIT {

  @Test
  void reportsTheQueueDepthAndFailsOnADeadLetterQueueThatHoldsMessagesOrIsMissing() {
    try (LocalCloud cloud = LocalCloud.start(LocalCloudOptions.builder().port(0).accounts(2).build());
         SqsClient sqs = SqsClient.builder().endpointOverride(cloud.sqsEndpoint()).region(Region.of(LocalSqs.REGION))
             .credentialsProvider(StaticCredentialsProvider.create(
                 AwsBasicCredentials.create(cloud.accessKeyId(), cloud.secretAccessKey()))).build()) {
      String dlq = sqs.createQueue(b -> b.queueName("check-events-dlq")).queueUrl();
      String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
          .attributes().get(QueueAttributeName.QUEUE_ARN);
      String queue = sqs.createQueue(b -> b.queueName("check-events").attributes(Map.of(
          QueueAttributeName.VISIBILITY_TIMEOUT, "120",
          QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"5\"}"))).queueUrl();
      String bare = sqs.createQueue(b -> b.queueName("check-events-bare")).queueUrl();
      CommonConfig config = new CommonConfig(CommonConfig.define(new ConfigDef()), Map.of(
          CommonConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1", CommonConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1"));

      assertThat(lines(new SetupCheck(config).eventsQueue(sqs, queue))).containsExactly(
          "ok    events queue check-events: 0 waiting, 0 in flight, visibility timeout 120 s",
          "ok    events dead-letter queue check-events-dlq: empty");

      sqs.sendMessage(b -> b.queueUrl(queue).messageBody("{}"));
      sqs.sendMessage(b -> b.queueUrl(queue).messageBody("{}"));
      sqs.sendMessage(b -> b.queueUrl(dlq).messageBody("{}"));
      SetupCheck withMessages = new SetupCheck(config).eventsQueue(sqs, queue);
      assertThat(lines(withMessages)).containsExactly(
          "ok    events queue check-events: 2 waiting, 0 in flight, visibility timeout 120 s",
          "FAIL  events dead-letter queue check-events-dlq: 1 message(s): events that failed their hand-off 5 times "
              + "or that EventBridge could not deliver; see docs/events.md");
      assertThat(withMessages.allOk()).isFalse();

      assertThat(lines(new SetupCheck(config).eventsQueue(sqs, bare))).containsExactly(
          "ok    events queue check-events-bare: 0 waiting, 0 in flight, visibility timeout 30 s",
          "FAIL  events queue check-events-bare dead-letter queue: none: the queue has no redrive policy "
              + "(deploy/cloudformation/casefeed-events.yaml sets one)");
      assertThat(lines(new SetupCheck(config).eventsQueue(sqs, queue.replace("check-events", "no-such-queue"))))
          .singleElement().asString().startsWith("FAIL  events queue no-such-queue: GetQueueAttributes on ");
    }
  }

  private static List<String> lines(SetupCheck check) {
    return check.results().stream().map(SetupCheck.Result::toString).toList();
  }
}
