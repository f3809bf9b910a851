package io.casefeed.collector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.casefeed.collector.Collector;
import io.casefeed.collector.aws.AwsClients;
import io.casefeed.collector.config.CollectorConfig;
import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.localcloud.LocalCloud;
import io.casefeed.localcloud.SimulatedAccount;
import io.casefeed.localcloud.SimulatedCase;
import io.casefeed.localcloud.events.EventDelivery;
import io.casefeed.schema.SupportEvent;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** The collector with events.queue.url set reads local-cloud's queue and publishes what EventBridge sent. */
class CollectorEventsIT {

  @org.junit.jupiter.api.Test
  void aCaseCreatedWhileTheCollectorRunsArrivesAsAnEvent() throws Exception {
    try (LocalCloud cloud = CollectorFixture.start(CollectorFixture.frozen(3, 1, 2, 0))) {
      SimulatedAccount account = cloud.simulation().accounts().stream()
          .filter(a -> a.supportPlan() && a.hasRole() && a.active()).findFirst().orElseThrow();
      String queue = cloud.sqs().createQueue("collector-events");
      cloud.supportEvents().configure(EventDelivery.to(queue, Duration.ZERO));

      String prefix = KafkaFixture.unique("events") + ".";
      Map<String, String> settings = CollectorFixture.settings(cloud, prefix);
      settings.put("accounts.static", account.id());
      settings.put("events.queue.url", queue);
      settings.put("aws.sqs.endpoint.override", cloud.sqsEndpoint().toString());
      CollectorConfig config = CollectorConfig.load(null, Map.of(), settings);

      try (AwsClients aws = new AwsClients(config);
           Collector collector = new Collector(config, Clock.systemUTC(), new HttpSchemaRegistryClient(cloud.schemaRegistryUrl()),
               aws, new SimpleMeterRegistry())) {
        collector.start();
        SimulatedCase created = cloud.simulation().createCase(account.id(), "pushed", "general-info", "low", "en");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
            assertThat(CollectorFixture.readAll(cloud, prefix + "casefeed.support-events", SupportEvent.class))
                .singleElement().satisfies(r -> {
                  assertThat(r.key()).isEqualTo(account.id());
                  assertThat(r.value().getCaseId()).isEqualTo(created.caseId());
                  assertThat(r.value().getEventName()).isEqualTo("CreateCase");
                }));
      } finally {
        cloud.supportEvents().configure(EventDelivery.OFF);
      }
    }
  }
}
