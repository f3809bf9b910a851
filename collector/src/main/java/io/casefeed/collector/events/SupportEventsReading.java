package io.casefeed.collector.events;

import io.casefeed.collector.config.CollectorConfig;
import io.casefeed.collector.publish.KafkaPublisher;
import io.casefeed.schema.SupportEvent;
import io.casefeed.schemas.TopicNames;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.SchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.common.aws.AwsClientFactory;
import java.time.Duration;
import java.time.Clock;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Builds the queue reader from the collector's configuration: the one place events meet the config. */
public final class SupportEventsReading {

  private static final Pattern REGION_IN_URL = Pattern.compile("^https://sqs\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?/");

  private SupportEventsReading() {}

  /** The reader and the SQS client it owns; close both with {@link Running#close()}. */
  public record Running(SqsEventReader reader, SqsClient sqs) implements AutoCloseable {
    @Override
    public void close() {
      reader.close();
      sqs.close();
    }
  }

  public static Running start(CollectorConfig config, KafkaPublisher publisher, SchemaRegistryClient registry,
      boolean autoRegister, Predicate<String> followed, Clock clock) {
    return start(config, kafkaSink(config, publisher, registry, autoRegister), followed, clock);
  }

  /**
   * The reader on the configured queue, handing off to {@code sink}: the collector passes the Kafka
   * sink; a test JVM may wrap it to stop between the receive and Kafka's acknowledgement.
   */
  public static Running start(CollectorConfig config, EventSink sink, Predicate<String> followed, Clock clock) {
    String queueUrl = config.eventsQueueUrl();
    SqsClient sqs = client(config, queueUrl);
    SqsEventReader reader = new SqsEventReader(sqs, queueUrl, config.eventsVisibilityTimeout(), sink, followed, clock,
        SqsEventReader.WAIT_SECONDS);
    reader.start();
    return new Running(reader, sqs);
  }

  /** Events to casefeed.support-events, rejects to casefeed.dead-letter, both under the configured prefix. */
  public static KafkaEventSink kafkaSink(CollectorConfig config, KafkaPublisher publisher, SchemaRegistryClient registry,
      boolean autoRegister) {
    AvroSerde<SupportEvent> serde = new AvroSerde<>(SupportEvent.class, registry, autoRegister, false);
    return new KafkaEventSink(publisher, serde, TopicNames.of(config, Topics.SUPPORT_EVENTS),
        TopicNames.of(config, Topics.DEAD_LETTER), "sqs:" + queueName(config.eventsQueueUrl()), config.collectorId());
  }

  /** SQS in the queue's own region (its URL names it), through the common factory. */
  static SqsClient client(CollectorConfig config, String queueUrl) {
    return AwsClientFactory.perClient(config.awsSettings(), Duration.ofSeconds(SqsEventReader.WAIT_SECONDS + 30L))
        .configure("sqs", SqsClient.builder())
        .region(Region.of(regionOf(queueUrl, config.awsRegion())))
        .build();
  }

  /** A queue URL names its region (https://sqs.us-east-1.amazonaws.com/...); other URLs use the fallback. */
  static String regionOf(String queueUrl, String fallback) {
    Matcher matcher = REGION_IN_URL.matcher(queueUrl);
    return matcher.find() ? matcher.group(1) : fallback;
  }

  static String queueName(String queueUrl) {
    String trimmed = queueUrl.endsWith("/") ? queueUrl.substring(0, queueUrl.length() - 1) : queueUrl;
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }
}
