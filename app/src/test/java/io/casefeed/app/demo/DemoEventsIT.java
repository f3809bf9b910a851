package io.casefeed.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.casefeed.app.tools.SetupCheck;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.collector.config.CollectorConfig;
import io.casefeed.common.config.CommonConfig;
import io.casefeed.common.testing.ExternalProgram;
import io.casefeed.localcloud.SimulatedAccount;
import io.casefeed.localcloud.SimulatedCase;
import io.casefeed.localcloud.sqs.LocalSqs;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

/**
 * The demo with events on: a case created in the simulated organisation, and one opened with Debian's
 * AWS CLI as a member account's engineer would, reach the feed by their events.
 */
class DemoEventsIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  @Test
  void aCaseCreatedWhileTheDemoRunsIsReadByItsEventAndTheQueueChecksOut() throws Exception {
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

      // As a member account's engineer opens a case: Debian's AWS CLI, STS into the account, then Support.
      String opened = createCaseWithAwsCli(demo, account.id());
      Instant returned = Instant.now();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> changes(demo).stream().anyMatch(c -> c.getCaseId().equals(opened) && "CASE_OPENED".equals(c.getChangeType())));
      long feedMs = Duration.between(returned, Instant.now()).toMillis();
      assertThat(observations(demo)).filteredOn(o -> o.getCaseDetails().getCaseId().equals(opened))
          .as("the case was read because its event announced it")
          .anySatisfy(o -> assertThat(o.getPollKind()).isEqualTo("event"));
      // A single sample for the closing note, not a timed assertion: the soak measures the distribution.
      System.out.printf(Locale.ROOT, "DemoEventsIT: case %s opened with the AWS CLI was on %s %d ms after the CLI returned%n",
          opened, Topics.CASE_CHANGES.name(), feedMs);

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

  /** {@code aws sts assume-role} into the member account, then {@code aws support create-case} with its credentials. */
  private String createCaseWithAwsCli(Demo demo, String accountId) throws Exception {
    String endpoint = demo.cloud().awsEndpoint().toString();
    String roleName = (String) CollectorConfig.DEFINITION.defaultValues().get(CollectorConfig.ROLE_NAME);
    JsonNode assumed = JSON.readTree(ExternalProgram.run(work, Map.of("AWS_ACCESS_KEY_ID", demo.cloud().accessKeyId(),
        "AWS_SECRET_ACCESS_KEY", demo.cloud().secretAccessKey()), List.of(ExternalProgram.AWS_CLI, "sts", "assume-role",
        "--role-arn", "arn:aws:iam::" + accountId + ":role/" + roleName, "--role-session-name", "demo-engineer",
        "--endpoint-url", endpoint, "--output", "json"))).path("Credentials");
    JsonNode created = JSON.readTree(ExternalProgram.run(work, Map.of("AWS_ACCESS_KEY_ID", assumed.path("AccessKeyId").asText(),
        "AWS_SECRET_ACCESS_KEY", assumed.path("SecretAccessKey").asText(), "AWS_SESSION_TOKEN", assumed.path("SessionToken").asText()),
        List.of(ExternalProgram.AWS_CLI, "support", "create-case", "--subject", "Opened with the AWS CLI during the demo",
            "--communication-body", "Our deploy pipeline cannot reach the artifact bucket.", "--service-code", "general-info",
            "--severity-code", "low", "--language", "en", "--endpoint-url", endpoint, "--output", "json")));
    return created.path("caseId").asText();
  }

  private static List<CaseChange> changes(Demo demo) {
    return read(demo, Topics.CASE_CHANGES.name(), CaseChange.class);
  }

  private static List<CaseObservation> observations(Demo demo) {
    return read(demo, Topics.CASE_OBSERVATIONS.name(), CaseObservation.class);
  }

  private static <T extends org.apache.avro.specific.SpecificRecord> List<T> read(Demo demo, String topic, Class<T> type) {
    AvroSerde<T> serde = new AvroSerde<>(type, new HttpSchemaRegistryClient(demo.cloud().schemaRegistryUrl()));
    List<T> all = new ArrayList<>();
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
