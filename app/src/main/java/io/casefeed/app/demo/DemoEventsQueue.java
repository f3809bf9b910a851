package io.casefeed.app.demo;

import io.casefeed.localcloud.LocalCloud;
import io.casefeed.localcloud.sqs.LocalSqs;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The demo's events queue in local-cloud's SQS, made like deploy/cloudformation/casefeed-events.yaml
 * makes it on AWS: the queue {@link #QUEUE} with a redrive to {@link #DLQ} after 5 receives, so that
 * {@code casefeed check} sees the same shape here as there. CreateQueue is idempotent, so a resumed
 * demo finds its queue again.
 */
final class DemoEventsQueue {

  static final String QUEUE = "casefeed-support-events";
  static final String DLQ = "casefeed-support-events-dlq";

  /** The URLs of the queue and its dead-letter queue. */
  record Urls(String queue, String deadLetterQueue) {}

  private DemoEventsQueue() {}

  static Urls create(LocalCloud cloud) {
    try (SqsClient sqs = SqsClient.builder().endpointOverride(cloud.sqsEndpoint()).region(Region.of(LocalSqs.REGION))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(cloud.accessKeyId(), cloud.secretAccessKey()))).build()) {
      String dlq = sqs.createQueue(b -> b.queueName(DLQ)).queueUrl();
      String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
          .attributes().get(QueueAttributeName.QUEUE_ARN);
      String queue = sqs.createQueue(b -> b.queueName(QUEUE).attributes(Map.of(
          QueueAttributeName.VISIBILITY_TIMEOUT, "120",
          QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"5\"}")))
          .queueUrl();
      return new Urls(queue, dlq);
    }
  }
}
