package io.casefeed.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.casefeed.app.tools.SetupCheck;
import io.casefeed.common.config.CommonConfig;
import io.casefeed.localcloud.SimulatedAccount;
import io.casefeed.localcloud.SimulatedCase;
import io.casefeed.localcloud.sqs.LocalSqs;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The demo with events on: a case created in the simulated organisation reaches the feed by its event. */
class DemoEventsIT {

  @TempDir Path work;

  @Test
  void aCaseCreatedWhileTheDemoRunsIsReadByItsEventAndTheQueueChecksOut() {
    Demo.Options options = new Demo.Options(work.resolve("data"), 4, 1.0, 0, 0, 0, 0, 0, 11L, 3_000, 600_000, "every 1h", 60_000);
    try (Demo demo = new Demo(options).withEvents().start()) {
      String line = demo.endpoints().get("events");
      assertThat(line).contains(DemoEventsQueue.QUEUE).contains(DemoEventsQueue.DLQ);
      String queue = line.substring(0, line.indexOf(' '));
      SimulatedAccount account = demo.cloud().simulation().accounts().stream()
          .filter(a -> a.supportPlan() && a.hasRole() && a.active()).findFirst().orElseThrow();
      // After the first sweep, so that only an event (or the net, 12 s away) can bring the new case.
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
          .until(() -> observations(demo).stream().anyMatch(o -> o.getAccountId().equals(account.id())));

      SimulatedCase created = demo.cloud().simulation().createCase(account.id(), "demo pushed", "general-info", "low", "en");

      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
          assertThat(observations(demo)).filteredOn(o -> o.getCaseDetails().getCaseId().equals(created.caseId()))
              .anySatisfy(o -> {
                assertThat(o.getPollKind()).isEqualTo("event");
                assertThat(o.getEventId()).isNotBlank();
              }));

      CommonConfig config = new CommonConfig(CommonConfig.define(new ConfigDef()), Map.of(
          CommonConfig.BOOTSTRAP_SERVERS, demo.bootstrapServers(), CommonConfig.SCHEMA_REGISTRY_URL, demo.cloud().schemaRegistryUrl()));
      try (SqsClient sqs = SqsClient.builder().endpointOverride(demo.cloud().sqsEndpoint()).region(Region.of(LocalSqs.REGION))
          .credentialsProvider(StaticCredentialsProvider.create(
              AwsBasicCredentials.create(demo.cloud().accessKeyId(), demo.cloud().secretAccessKey()))).build()) {
        SetupCheck check = new SetupCheck(config).eventsQueue(sqs, queue);
        assertThat(check.results()).extracting(SetupCheck.Result::subject)
            .containsExactly("events queue " + DemoEventsQueue.QUEUE, "events dead-letter queue " + DemoEventsQueue.DLQ);
        assertThat(check.allOk()).as(check.results().toString()).isTrue();
      }
    }
  }

  private static List<CaseObservation> observations(Demo demo) {
    AvroSerde<CaseObservation> serde = new AvroSerde<>(CaseObservation.class, new HttpSchemaRegistryClient(demo.cloud().schemaRegistryUrl()));
    String topic = "casefeed.case-observations";
    List<CaseObservation> all = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, demo.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          all.add(serde.deserialize(topic, r.value()));
        }
      }
    }
    return all;
  }
}
