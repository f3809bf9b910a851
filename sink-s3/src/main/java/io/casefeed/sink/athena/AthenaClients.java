package io.casefeed.sink.athena;

import io.casefeed.common.aws.AwsClientFactory;
import io.casefeed.common.aws.AwsSettings;
import java.time.Duration;
import software.amazon.awssdk.services.athena.AthenaClient;

/** Builds the Athena client of {@code athena-ddl --apply} with the common {@link AwsClientFactory}. */
public final class AthenaClients {

  private AthenaClients() {}

  /** SDK retries are off (the factory's rule): AthenaDdlRunner retries through the common Retrier. */
  public static AthenaClient create(AwsSettings settings, Duration attemptTimeout) {
    AwsClientFactory factory = AwsClientFactory.perClient(settings, attemptTimeout);
    return factory.configure("athena", AthenaClient.builder(), factory.credentials(), o -> o.apiCallAttemptTimeout(attemptTimeout))
        .build();
  }
}
