package io.casefeed.sink.testing;

import io.casefeed.kafka.embedded.KafkaFixture;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** The sink's settings for a test: the shared broker, the test's topic prefix, a local S3. */
public final class SinkSettings {

  private SinkSettings() {}

  public static Map<String, String> of(String topicPrefix, URI s3Endpoint, String bucket, String registryUrl) {
    Map<String, String> settings = new HashMap<>();
    settings.put("kafka.bootstrap.servers", KafkaFixture.bootstrapServers());
    settings.put("schema.registry.url", registryUrl);
    settings.put("topic.prefix", topicPrefix);
    settings.put("topic.replication.factor", "1");
    settings.put("topic.create", "false");
    settings.put("s3.bucket", bucket);
    settings.put("s3.prefix", "casefeed");
    settings.put("aws.s3.endpoint.override", s3Endpoint.toString());
    settings.put("aws.s3.path.style", "true");
    settings.put("aws.access.key.id", LocalS3.ACCESS_KEY);
    settings.put("aws.secret.access.key", LocalS3.SECRET_KEY);
    settings.put("s3.retry.initial.backoff.ms", "20");
    settings.put("s3.retry.max.backoff.ms", "500");
    settings.put("s3.request.timeout.ms", "5000");
    settings.put("history.group.id", topicPrefix + "sink");
    settings.put("history.idle.flush.ms", "500");
    settings.put("snapshot.interval.ms", "1000");
    return settings;
  }
}
