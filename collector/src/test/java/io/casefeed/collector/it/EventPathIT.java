package io.casefeed.collector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.casefeed.collector.Collector;
import io.casefeed.collector.aws.AwsClients;
import io.casefeed.collector.config.CollectorConfig;
import io.casefeed.collector.metrics.CollectorMetrics;
import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.localcloud.LocalCloud;
import io.casefeed.localcloud.SimulatedAccount;
import io.casefeed.localcloud.SimulatedCase;
import io.casefeed.localcloud.events.EventDelivery;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.SupportEvent;
import io.casefeed.schema.SweepRecord;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The event path end to end, on the embedded broker and local-cloud's SQS and EventBridge, with the
 * real AWS SDK: a reply added to a case reaches casefeed.case-observations by its event while the
 * fast poll is far off; with every event lost, the poll (the net) finds it and counts it as missed.
 */
class EventPathIT {

  record Running(LocalCloud cloud, SimulatedAccount account, SimulatedCase openCase, String prefix, String queue) {}

  private static Running prepare(LocalCloud cloud, String name) {
    SimulatedAccount account = cloud.simulation().accounts().stream()
        .filter(a -> a.supportPlan() && a.hasRole() && a.active()).findFirst().orElseThrow();
    // Made before the collector starts, while delivery is off: the first sweep reads it as history.
    SimulatedCase open = cloud.simulation().createCase(account.id(), "waiting for AWS", "general-info", "low", "en");
    return new Running(cloud, account, open, KafkaFixture.unique(name) + ".", cloud.sqs().createQueue(name));
  }

  private static CollectorConfig config(Running r, Duration fastWithEvents) {
    Map<String, String> settings = CollectorFixture.settings(r.cloud(), r.prefix());
    settings.put("accounts.static", r.account().id());
    settings.put("events.queue.url", r.queue());
    settings.put("aws.sqs.endpoint.override", r.cloud().sqsEndpoint().toString());
    settings.put("events.coalesce.ms", "100");
    settings.put("poll.fast.interval.ms", "1000");
    settings.put("poll.fast.interval.with-events.ms", Long.toString(fastWithEvents.toMillis()));
    settings.put("poll.sweep.interval.ms", "3600000");
    return CollectorConfig.load(null, Map.of(), settings);
  }

  private static List<SweepRecord> sweeps(Running r) {
    return CollectorFixture.readAll(r.cloud(), r.prefix() + "casefeed.sweeps", SweepRecord.class).stream()
        .map(ConsumerRecord::value).toList();
  }

  private static List<CaseObservation> observationsWith(Running r, String body) {
    return CollectorFixture.readAll(r.cloud(), r.prefix() + "casefeed.case-observations", CaseObservation.class).stream()
        .map(ConsumerRecord::value)
        .filter(o -> o.getCaseDetails().getCaseId().equals(r.openCase().caseId()))
        .filter(o -> o.getCaseDetails().getRecentCommunications().stream().anyMatch(c -> body.equals(c.getBody())))
        .toList();
  }

  private static double missed(SimpleMeterRegistry meters, String accountId) {
    return meters.find(CollectorMetrics.EVENTS_MISSED).tag("account", accountId).counters().stream()
        .mapToDouble(Counter::count).sum();
  }

  private static void awaitFirstSweep(Running r) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
        sweeps(r).stream().anyMatch(s -> s.getPollKind().equals("sweep") && s.getOutcome().equals("ok")));
  }

  @Test
  void aReplyReachesTheFeedByItsEventWhileTheFastPollIsFarOff() throws Exception {
    try (LocalCloud cloud = CollectorFixture.start(CollectorFixture.frozen(3, 1, 2, 0))) {
      Running r = prepare(cloud, "event-path");
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      CollectorConfig config = config(r, Duration.ofHours(1));
      try (AwsClients aws = new AwsClients(config);
           Collector collector = new Collector(config, Clock.systemUTC(), new HttpSchemaRegistryClient(cloud.schemaRegistryUrl()),
               aws, meters)) {
        collector.start();
        awaitFirstSweep(r);
        cloud.supportEvents().configure(EventDelivery.to(r.queue(), Duration.ZERO));

        java.time.Instant replied = java.time.Instant.now();
        cloud.simulation().addCommunication(r.openCase().caseId(), true, "pushed reply");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
            assertThat(observationsWith(r, "pushed reply")).isNotEmpty());
        List<SupportEvent> events = CollectorFixture.readAll(cloud, r.prefix() + "casefeed.support-events", SupportEvent.class)
            .stream().map(ConsumerRecord::value).toList();
        assertThat(events).singleElement().satisfies(e -> {
          assertThat(e.getEventName()).isEqualTo("AddCommunicationToCase");
          assertThat(e.getCaseId()).isEqualTo(r.openCase().caseId());
        });
        assertThat(observationsWith(r, "pushed reply")).singleElement().satisfies(o -> {
          assertThat(o.getPollKind()).isEqualTo("event");
          assertThat(o.getEventId()).isEqualTo(events.get(0).getEventId());
          assertThat(o.getFirstReading()).isFalse();
          // A figure for the report, not an assertion: the time from the reply to its observation.
          System.out.printf(java.util.Locale.ROOT, "EventPathIT: reply -> observation by event %d ms (fast poll every 1 h)%n",
              Duration.between(replied, o.getObservedAt()).toMillis());
        });
        assertThat(sweeps(r)).extracting(SweepRecord::getPollKind).as("no fast poll ran: the event brought the reply")
            .containsOnly("sweep", "event").contains("event");
        assertThat(missed(meters, r.account().id())).isZero();
      } finally {
        cloud.supportEvents().configure(EventDelivery.OFF);
      }
    }
  }

  @Test
  void withEveryEventLostThePollFindsTheReplyAndCountsItMissed() throws Exception {
    try (LocalCloud cloud = CollectorFixture.start(CollectorFixture.frozen(3, 1, 2, 0))) {
      Running r = prepare(cloud, "event-net");
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      CollectorConfig config = config(r, Duration.ofSeconds(2));
      try (AwsClients aws = new AwsClients(config);
           Collector collector = new Collector(config, Clock.systemUTC(), new HttpSchemaRegistryClient(cloud.schemaRegistryUrl()),
               aws, meters)) {
        collector.start();
        awaitFirstSweep(r);
        cloud.supportEvents().configure(EventDelivery.to(r.queue(), Duration.ZERO).withFaults(1.0, 0, 0, Duration.ZERO));
        assertThat(missed(meters, r.account().id())).isZero();

        java.time.Instant replied = java.time.Instant.now();
        cloud.simulation().addCommunication(r.openCase().caseId(), true, "lost event reply");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
            assertThat(observationsWith(r, "lost event reply")).isNotEmpty());
        assertThat(observationsWith(r, "lost event reply")).first().satisfies(o -> {
          assertThat(o.getPollKind()).isEqualTo("fast");
          assertThat(o.getEventId()).isNull();
          System.out.printf(java.util.Locale.ROOT, "EventPathIT: reply -> observation by the net %d ms (fast poll every 2 s)%n",
              Duration.between(replied, o.getObservedAt()).toMillis());
        });
        assertThat(cloud.supportEvents().lost()).isPositive();
        assertThat(CollectorFixture.readAll(cloud, r.prefix() + "casefeed.support-events", SupportEvent.class)).isEmpty();
        assertThat(meters.find(CollectorMetrics.EVENTS_MISSED).tag("account", r.account().id()).tag("change", "communication")
            .counter()).isNotNull().satisfies(c -> assertThat(c.count()).isEqualTo(1.0));
      } finally {
        cloud.supportEvents().configure(EventDelivery.OFF);
      }
    }
  }
}
