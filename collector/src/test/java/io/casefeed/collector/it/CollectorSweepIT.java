package io.casefeed.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.collector.Collector;
import io.casefeed.collector.aws.AwsClients;
import io.casefeed.collector.config.CollectorConfig;
import io.casefeed.collector.poll.Outcome;
import io.casefeed.collector.poll.PollReport;
import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.localcloud.LocalCloud;
import io.casefeed.localcloud.SimulatedAccount;
import io.casefeed.localcloud.SimulatedCase;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.SweepRecord;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The acceptance test: one sweep of 50 accounts against local-cloud and a real broker. */
class CollectorSweepIT {

  @Test
  void oneSweepPublishesEveryCaseOfTheGroundTruthAndOneSweepRecordPerAccount() throws Exception {
    try (LocalCloud cloud = CollectorFixture.start(CollectorFixture.frozen(50, null, null, 450))) {
      List<SimulatedAccount> accounts = cloud.simulation().accounts();
      String prefix = KafkaFixture.unique("sweep") + ".";
      Map<String, String> settings = CollectorFixture.settings(cloud, prefix);
      settings.put("accounts.static", accounts.stream().map(SimulatedAccount::id).collect(Collectors.joining(",")));
      CollectorConfig config = CollectorConfig.load(null, Map.of(), settings);

      Collector.OnceSummary summary;
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      try (AwsClients aws = new AwsClients(config);
           Collector collector = new Collector(config, Clock.systemUTC(), new HttpSchemaRegistryClient(cloud.schemaRegistryUrl()),
               aws, meters)) {
        summary = collector.runOnce();
      }

      // The expected outcome of each account follows from its simulated traits.
      Map<String, String> expectedOutcome = new HashMap<>();
      Set<String> expectedKeys = new HashSet<>();
      for (SimulatedAccount a : accounts) {
        String outcome = !a.hasRole() || !a.active() ? "access-denied" : !a.supportPlan() ? "no-support-plan" : "ok";
        expectedOutcome.put(a.id(), outcome);
        if (outcome.equals("ok")) {
          cloud.simulation().cases(a.id()).forEach(c -> expectedKeys.add(CaseKeys.of(a.id(), c.caseId())));
        }
      }
      assertThat(expectedOutcome).containsValues("ok", "access-denied", "no-support-plan");

      List<ConsumerRecord<String, CaseObservation>> observations =
          CollectorFixture.readAll(cloud, prefix + "casefeed.case-observations", CaseObservation.class);
      assertThat(observations).extracting(ConsumerRecord::key).doesNotHaveDuplicates();
      assertThat(observations.stream().map(ConsumerRecord::key).collect(Collectors.toSet())).isEqualTo(expectedKeys);
      assertThat(observations).allSatisfy(r -> {
        assertThat(r.value().getFirstReading()).isTrue();
        assertThat(r.value().getPollKind()).isEqualTo("sweep");
        assertThat(r.timestamp()).isEqualTo(r.value().getObservedAt().toEpochMilli());
      });
      // Every field as AWS gave it, checked on one case per language.
      Map<String, SimulatedCase> truth = cloud.simulation().allCases().values().stream().flatMap(List::stream)
          .collect(Collectors.toMap(SimulatedCase::caseId, c -> c));
      Set<String> languagesSeen = new HashSet<>();
      for (ConsumerRecord<String, CaseObservation> r : observations) {
        var details = r.value().getCaseDetails();
        SimulatedCase expected = truth.get(details.getCaseId());
        assertThat(details.getStatus()).isEqualTo(expected.status());
        assertThat(details.getTimeCreated()).isEqualTo(expected.timeCreated());
        assertThat(details.getSubject()).isEqualTo(expected.subject());
        assertThat(details.getLanguage()).isEqualTo(expected.language());
        languagesSeen.add(details.getLanguage());
      }
      assertThat(languagesSeen).contains("en", "ja");

      List<ConsumerRecord<String, SweepRecord>> sweeps = CollectorFixture.readAll(cloud, prefix + "casefeed.sweeps", SweepRecord.class);
      assertThat(sweeps).hasSize(accounts.size());
      Map<String, String> outcomes = sweeps.stream().collect(Collectors.toMap(ConsumerRecord::key, r -> r.value().getOutcome()));
      assertThat(outcomes).isEqualTo(expectedOutcome);

      // The hot account has cases in English and Japanese over more than 3 pages, all read.
      SimulatedAccount hot = accounts.stream().filter(a -> a.hot() && a.hasRole() && a.supportPlan() && a.active())
          .findFirst().orElseThrow();
      SweepRecord hotSweep = sweeps.stream().filter(r -> r.key().equals(hot.id())).findFirst().orElseThrow().value();
      assertThat(hotSweep.getPages()).isGreaterThan(3);
      assertThat(hotSweep.getCases()).isEqualTo(cloud.simulation().cases(hot.id()).size());

      // The throttled accounts were read completely although AWS refused calls.
      assertThat(summary.outcomes().get(Outcome.THROTTLED)).isNull();
      assertThat(meters.find("casefeed.collector.api.throttles").counter()).isNotNull();
      assertThat(meters.find("casefeed.collector.api.throttles").counter().count()).isPositive();
      assertThat(summary.reports()).extracting(PollReport::accountId).hasSize(accounts.size());
    }
  }
}
