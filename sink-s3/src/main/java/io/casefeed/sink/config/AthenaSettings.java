package io.casefeed.sink.config;

import io.casefeed.common.aws.AwsSettings;
import io.casefeed.common.retry.Backoff;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;

/**
 * What {@code athena-ddl --apply} needs to reach Athena: the {@code athena.*} keys and the AWS
 * settings of the sink's config ({@code aws.athena.endpoint.override} and {@code aws.athena.region}
 * before the common {@code aws.*} keys), or the same keys alone when no config file is given.
 *
 * @param aws region, endpoint and credentials, in the one AWS vocabulary
 * @param outputLocation s3:// result folder, or null for the workgroup's own
 * @param polling how GetQueryExecution is polled while a statement runs
 */
public record AthenaSettings(AwsSettings aws, String workgroup, String outputLocation, Backoff polling) {

  /** The athena.* and aws.* keys of a sink config. */
  public static AthenaSettings of(SinkConfig sink) {
    return from(sink, sink.awsSettings());
  }

  /** The athena.* and aws.* keys alone (flags, CASEFEED_* variables); the default credentials chain unless aws.access.key.id is set. */
  public static AthenaSettings standalone(Map<String, String> properties) {
    AbstractConfig config = new AbstractConfig(SinkConfig.ATHENA_DEFINITION, properties, false);
    return from(config, AwsSettings.from(config, config.getString(AwsSettings.REGION), List.of("athena"), SinkConfig.AWS_REGIONAL_SERVICES));
  }

  private static AthenaSettings from(AbstractConfig config, AwsSettings aws) {
    String output = config.getString(SinkConfig.ATHENA_OUTPUT_LOCATION);
    // Doubling pauses without jitter: one poller per statement, nobody to fall out of step with.
    Backoff polling = new Backoff(config.getInt(SinkConfig.ATHENA_POLL_MAX_ATTEMPTS),
        Duration.ofMillis(config.getLong(SinkConfig.ATHENA_POLL_INITIAL_BACKOFF_MS)),
        Duration.ofMillis(config.getLong(SinkConfig.ATHENA_POLL_MAX_BACKOFF_MS)), Backoff.Jitter.NONE);
    return new AthenaSettings(aws, config.getString(SinkConfig.ATHENA_WORKGROUP),
        output == null || output.isBlank() ? null : output, polling);
  }

  /** Null for AWS itself. */
  public URI endpoint() {
    return aws.endpointFor("athena");
  }

  public String region() {
    return aws.regionFor("athena");
  }

  @Override
  public String toString() {
    // Never the secret.
    return "AthenaSettings[endpoint=" + endpoint() + ", region=" + region() + ", workgroup=" + workgroup + ", outputLocation="
        + outputLocation + ", polling=" + polling + ", accessKeyId=" + aws.accessKeyId() + "]";
  }
}
