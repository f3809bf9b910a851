package io.casefeed.collector;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.casefeed.collector.aws.AwsClients;
import io.casefeed.collector.config.CollectorConfig;
import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.schemas.registry.InMemorySchemaRegistryClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** With topic.create=false and its topics missing, the collector stops at start naming them, instead of waiting forever. */
class MissingTopicsIT {

  @Test
  void startFailsFastNamingTheMissingTopics() throws Exception {
    String prefix = KafkaFixture.unique("missing") + ".";
    CollectorConfig config = CollectorConfig.load(null, Map.of(), Map.of(
        "kafka.bootstrap.servers", KafkaFixture.bootstrapServers(),
        "schema.registry.url", "http://127.0.0.1:1",
        "topic.prefix", prefix,
        "topic.create", "false",
        "topic.replication.factor", "1",
        "accounts.static", "123456789012",
        "aws.endpoint.override", "http://127.0.0.1:1",
        "aws.access.key.id", "test",
        "aws.secret.access.key", "test"));
    try (AwsClients aws = new AwsClients(config);
         Collector collector = new Collector(config, Clock.systemUTC(), new InMemorySchemaRegistryClient(), aws, new SimpleMeterRegistry())) {
      CompletableFuture<Void> start = CompletableFuture.runAsync(collector::start);
      assertThatThrownBy(() -> start.get(60, TimeUnit.SECONDS))
          .hasRootCauseInstanceOf(IllegalStateException.class)
          .rootCause().hasMessageContaining(prefix + "casefeed.case-observations")
          .hasMessageContaining(prefix + "casefeed.collector-readings").hasMessageContaining(prefix + "casefeed.collector-dead-lettered")
          .hasMessageContaining("topic.create=true");
    }
  }
}
