package io.casefeed.sink.config;

import io.casefeed.common.retry.Backoff;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;

/**
 * What {@code athena-ddl --apply} needs to reach Athena: the {@code athena.*} keys of the sink's
 * config (and its S3 credentials and region), or the same keys alone when no config file is given.
 *
 * @param endpoint null for AWS itself
 * @param outputLocation s3:// result folder, or null for the workgroup's own
 * @param polling how GetQueryExecution is polled while a statement runs
 * @param accessKeyId null for the default credentials chain (the user's own)
 */
public record AthenaSettings(URI endpoint, String region, String workgroup, String outputLocation, Backoff polling,
    String accessKeyId, String secretAccessKey) {

  /** Region when neither athena.region nor a sink config names one. */
  public static final String DEFAULT_REGION = "us-east-1";

  /** The athena.* keys of a sink config; its s3.region and S3 credentials where athena.* says nothing. */
  public static AthenaSettings of(SinkConfig sink) {
    return from(sink, sink.region(), sink.accessKeyId(), sink.secretAccessKey() == null ? null : sink.secretAccessKey().value());
  }

  /** The athena.* keys alone (flags, CASEFEED_ATHENA_* variables), with the default credentials chain. */
  public static AthenaSettings standalone(Map<String, String> properties) {
    return from(new AbstractConfig(SinkConfig.ATHENA_DEFINITION, properties, false), DEFAULT_REGION, null, null);
  }

  private static AthenaSettings from(AbstractConfig config, String fallbackRegion, String accessKeyId, String secretAccessKey) {
    String endpoint = config.getString(SinkConfig.ATHENA_ENDPOINT);
    String region = config.getString(SinkConfig.ATHENA_REGION);
    String output = config.getString(SinkConfig.ATHENA_OUTPUT_LOCATION);
    // Doubling pauses without jitter: one poller per statement, nobody to fall out of step with.
    Backoff polling = new Backoff(config.getInt(SinkConfig.ATHENA_POLL_MAX_ATTEMPTS),
        Duration.ofMillis(config.getLong(SinkConfig.ATHENA_POLL_INITIAL_BACKOFF_MS)),
        Duration.ofMillis(config.getLong(SinkConfig.ATHENA_POLL_MAX_BACKOFF_MS)), Backoff.Jitter.NONE);
    return new AthenaSettings(endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint),
        region == null || region.isBlank() ? fallbackRegion : region, config.getString(SinkConfig.ATHENA_WORKGROUP),
        output == null || output.isBlank() ? null : output, polling, accessKeyId, secretAccessKey);
  }

  @Override
  public String toString() {
    // Never the secret.
    return "AthenaSettings[endpoint=" + endpoint + ", region=" + region + ", workgroup=" + workgroup + ", outputLocation="
        + outputLocation + ", polling=" + polling + ", accessKeyId=" + accessKeyId + "]";
  }
}
