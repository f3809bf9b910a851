package io.casefeed.notifier.channel;

import io.casefeed.notifier.delivery.MailSendException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.SnsException;

/**
 * Publishes a post to its target's SNS topic, the post's attributes as String message attributes.
 * On a FIFO topic ({@code .fifo}) the MessageGroupId is the post's order key (the case) and the
 * MessageDeduplicationId the notification id, so SNS itself drops the copy a crash in the in-flight
 * window would publish again within its five-minute deduplication window. Throttling, 5xx and no
 * answer are retryable; any other error (an unknown topic, a denied publish) is a rejection.
 */
public final class SnsChannelPoster implements ChannelPoster, AutoCloseable {

  /** SNS's limit on MessageDeduplicationId and MessageGroupId, and the characters it takes. */
  static final int MAX_ID_CHARS = 128;
  private static final Pattern ID_CHARS = Pattern.compile("[\\p{Alnum}\\p{Punct}]+");
  /** SNS's limit on an e-mail subscription's subject; it must be ASCII without line breaks. */
  static final int MAX_SUBJECT_CHARS = 100;

  private final Function<String, SnsClient> clients;
  private final Map<String, SnsClient> byRegion = new HashMap<>();

  /**
   * @param clients a client for a region, made at the first publish there: a notifier without SNS
   *     targets never builds one
   */
  public SnsChannelPoster(Function<String, SnsClient> clients) {
    this.clients = clients;
  }

  /** The client of the topic's region, the fourth field of its ARN. */
  private synchronized SnsClient sns(String topicArn) {
    String[] arn = topicArn.split(":", 6);
    return byRegion.computeIfAbsent(arn.length == 6 ? arn[3] : "us-east-1", clients);
  }

  @Override
  public synchronized void close() {
    byRegion.values().forEach(SnsClient::close);
    byRegion.clear();
  }

  @Override
  public String post(ChannelPost post) throws ChannelPostException {
    ChannelTarget target = post.target();
    String topic = target.address();
    Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
    post.attributes().forEach((name, value) -> {
      if (value != null && !value.isEmpty()) {
        attributes.put(name, MessageAttributeValue.builder().dataType("String").stringValue(value).build());
      }
    });
    PublishRequest.Builder request = PublishRequest.builder().topicArn(topic)
        .message(post.bodyText()).messageAttributes(attributes);
    String subject = subject(post.summary());
    if (subject != null) {
      request.subject(subject);
    }
    if (topic.endsWith(".fifo")) {
      request.messageGroupId(fifoId(post.orderKey() == null ? post.group() : post.orderKey()))
          .messageDeduplicationId(fifoId(post.notificationId()));
    }
    try {
      return "MessageId " + sns(topic).publish(request.build()).messageId();
    } catch (SnsException e) {
      int status = e.statusCode();
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      String message = target.ledgerName() + " answered HTTP " + status + (code == null ? "" : " " + code)
          + (e.awsErrorDetails() == null ? "" : ": " + e.awsErrorDetails().errorMessage());
      // SNS throttles with code Throttled (HTTP 429); KMS throttling of an encrypted topic passes too.
      boolean retryable = status >= 500 || status == 429 || e.isThrottlingException() || "Throttled".equals(code)
          || "KMSThrottling".equals(code);
      throw new ChannelPostException(retryable ? MailSendException.Kind.RETRYABLE : MailSendException.Kind.REJECTED, status, null,
          message, null);
    } catch (SdkClientException e) {
      throw new ChannelPostException(MailSendException.Kind.RETRYABLE, 0, null,
          target.ledgerName() + " could not be reached: " + e.getClass().getSimpleName(), null);
    }
  }

  /** The summary when SNS takes it as a subject (printable ASCII, at most 100 characters), else none. */
  static String subject(String summary) {
    if (summary == null || summary.isBlank()) {
      return null;
    }
    String ascii = summary.replaceAll("[^\\x20-\\x7E]", "?");
    return ascii.length() <= MAX_SUBJECT_CHARS ? ascii : ascii.substring(0, MAX_SUBJECT_CHARS - 3) + "...";
  }

  /** The text itself when SNS takes it as a FIFO id, else its SHA-256 in hex: deterministic either way. */
  static String fifoId(String text) {
    if (text.length() <= MAX_ID_CHARS && ID_CHARS.matcher(text).matches()) {
      return text;
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }
}
