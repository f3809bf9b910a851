package io.casefeed.notifier.channel;

import io.casefeed.common.aws.AwsClientFactory;
import io.casefeed.common.aws.AwsSettings;
import java.time.Duration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Builds the SNS client with the common {@link AwsClientFactory}, from the AWS settings alone (this
 * package does not read the notifier's config). SDK retries are off, the factory's rule:
 * {@link ChannelDelivery} retries, so every attempt is logged and bounded by one policy.
 */
public final class SnsClients {

  private SnsClients() {}

  /** @param region the topic's region, from its ARN: SNS takes a publish only in the topic's own region */
  public static SnsClient create(AwsSettings settings, Duration timeout, String region) {
    AwsClientFactory factory = AwsClientFactory.perClient(settings, timeout);
    return factory.configure("sns", SnsClient.builder(), factory.credentials(), o -> o.apiCallTimeout(timeout.multipliedBy(2)))
        .region(Region.of(region))
        .build();
  }
}
