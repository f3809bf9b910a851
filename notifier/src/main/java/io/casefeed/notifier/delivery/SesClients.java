package io.casefeed.notifier.delivery;

import io.casefeed.common.aws.AwsClientFactory;
import io.casefeed.common.aws.AwsSettings;
import java.time.Duration;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/** Builds the SES v2 client from the notifier's config, with the common {@link AwsClientFactory}. */
public final class SesClients {

  /** What the SES client needs of the configuration (the notifier's config implements it: config depends on delivery). */
  public interface Settings {
    AwsSettings awsSettings();
  }

  private SesClients() {}

  /** SDK retries are off (the factory's rule): Delivery retries, so every attempt is logged and bounded by one policy. */
  public static SesV2Client fromConfig(Settings config) {
    AwsClientFactory factory = AwsClientFactory.perClient(config.awsSettings(), Duration.ofSeconds(30));
    return factory.configure("ses", SesV2Client.builder(), factory.credentials(), o -> o.apiCallTimeout(Duration.ofSeconds(60)))
        .build();
  }
}
