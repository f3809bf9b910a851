package io.casefeed.localcloud.sns;

import java.time.Instant;
import java.util.Map;

/**
 * One message SNS accepted on a topic, as a subscriber would get it.
 *
 * @param attributes message attributes by name: their StringValue (String and Number types)
 * @param groupId the FIFO MessageGroupId, null on a standard topic
 * @param deduplicationId the FIFO MessageDeduplicationId, null on a standard topic
 * @param sequenceNumber the FIFO sequence number, null on a standard topic
 */
public record PublishedMessage(String topicArn, String messageId, String subject, String message,
    Map<String, String> attributes, String groupId, String deduplicationId, String sequenceNumber, Instant publishedAt) {

  public PublishedMessage {
    attributes = Map.copyOf(attributes);
  }
}
