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
import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.SweepRecord;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The continuous collector: the fast poll sees status-only changes, new AWS replies and resolutions. */
class FastPollIT {

  @Test
  void fastPollSeesAStatusOnlyChangeANewAwsReplyAndAResolution() throws Exception {
    try (LocalCloud cloud = CollectorFixture.start(CollectorFixture.frozen(3, 8, 12, 0))) {
      SimulatedAccount account = cloud.simulation().accounts().stream()
          .filter(a -> a.supportPlan() && a.hasRole() && a.active()).findFirst().orElseThrow();
      List<SimulatedCase> open = cloud.simulation().cases(account.id()).stream().filter(c -> !c.resolved()).toList();
      SimulatedCase statusChanged = open.size() >= 3 ? open.get(0)
          : cloud.simulation().createCase(account.id(), "status will change", "amazon-ec2", "low", "en");
      SimulatedCase replied = cloud.simulation().createCase(account.id(), "AWS will reply", "amazon-s3", "normal", "ja");
      SimulatedCase resolved = cloud.simulation().createCase(account.id(), "will be resolved", "amazon-ec2", "high", "ko");

      String prefix = KafkaFixture.unique("fast") + ".";
      Map<String, String> settings = CollectorFixture.settings(cloud, prefix);
      settings.put("accounts.static", account.id());
      settings.put("poll.fast.interval.ms", "1000");
      settings.put("poll.sweep.interval.ms", "3600000");
      settings.put("ratelimit.account.per.second", "20");
      CollectorConfig config = CollectorConfig.load(null, Map.of(), settings);

      try (AwsClients aws = new AwsClients(config);
           Collector collector = new Collector(config, Clock.systemUTC(), new HttpSchemaRegistryClient(cloud.schemaRegistryUrl()),
               aws, new SimpleMeterRegistry())) {
        collector.start();
        // The instance owning partition 0 publishes the account set; then the first reading (a sweep) completes.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
            CollectorFixture.readAll(cloud, prefix + "casefeed.sweeps", SweepRecord.class).stream()
                .anyMatch(r -> r.value().getPollKind().equals("sweep") && r.value().getOutcome().equals("ok")));
        assertThat(CollectorFixture.readAll(cloud, prefix + "casefeed.accounts", AccountRecord.class))
            .extracting(r -> r.value().getRoleArn()).containsExactly("arn:aws:iam::" + account.id() + ":role/GetSupportInfoRole");

        cloud.simulation().setStatus(statusChanged.caseId(), "pending-customer-action");
        cloud.simulation().addCommunication(replied.caseId(), true, "Hello from AWS Support");
        cloud.simulation().resolve(resolved.caseId());

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
          List<ConsumerRecord<String, CaseObservation>> seen =
              CollectorFixture.readAll(cloud, prefix + "casefeed.case-observations", CaseObservation.class);
          assertThat(latest(seen, statusChanged.caseId(), "fast")).hasValueSatisfying(o -> {
            assertThat(o.getCaseDetails().getStatus()).isEqualTo("pending-customer-action");
            assertThat(o.getFirstReading()).isFalse();
          });
          assertThat(latest(seen, replied.caseId(), "fast")).hasValueSatisfying(o -> {
            assertThat(o.getCaseDetails().getRecentCommunications()).isNotEmpty();
            assertThat(o.getCaseDetails().getRecentCommunications().get(0).getBody()).isEqualTo("Hello from AWS Support");
            assertThat(o.getCaseDetails().getRecentCommunications().get(0).getSubmittedBy()).isEqualTo("Amazon Web Services");
          });
          assertThat(latest(seen, resolved.caseId(), "reread")).hasValueSatisfying(o ->
              assertThat(o.getCaseDetails().getStatus()).isEqualTo("resolved"));
        });
        // The fast poll asks for open cases only: no sweep after the first reading within the hour.
        assertThat(CollectorFixture.readAll(cloud, prefix + "casefeed.sweeps", SweepRecord.class))
            .filteredOn(r -> r.value().getPollKind().equals("sweep")).hasSize(1);
      }
    }
  }

  private static Optional<CaseObservation> latest(List<ConsumerRecord<String, CaseObservation>> records, String caseId, String kind) {
    return records.stream().map(ConsumerRecord::value)
        .filter(o -> o.getCaseDetails().getCaseId().equals(caseId) && o.getPollKind().equals(kind))
        .reduce((a, b) -> b);
  }
}
