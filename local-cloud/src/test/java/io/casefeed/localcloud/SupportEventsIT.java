package io.casefeed.localcloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.common.testing.ExternalProgram;
import io.casefeed.localcloud.events.EventDelivery;
import io.casefeed.localcloud.events.SupportCaseEvent;
import io.casefeed.schema.SupportEvent;
import io.casefeed.schemas.events.SupportEventParser;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * local-cloud's EventBridge sends Support Case Update events to its SQS, which the AWS SDK v2 (JSON
 * protocol), Debian's AWS CLI v2 (query protocol) and boto3 all read.
 */
class SupportEventsIT {

  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path workDir;
  static LocalCloud cloud;
  static SqsClient sqs;
  static String account;

  @BeforeAll
  static void start() {
    cloud = LocalCloud.start(LocalCloudOptions.builder().dataDir(workDir.resolve("data")).scenario(SupportApiIT.SCENARIO).build());
    cloud.simulation().pause();
    account = cloud.simulation().accounts().get(3).id();
    sqs = SqsClient.builder().endpointOverride(cloud.sqsEndpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
  }

  @AfterAll
  static void stop() {
    sqs.close();
    cloud.close();
  }

  @Test
  void everyLifecycleStepArrivesThroughTheSdkInEventBridgesEnvelope() {
    String queue = sqs.createQueue(b -> b.queueName("sdk-events")).queueUrl();
    cloud.supportEvents().configure(EventDelivery.to(queue, Duration.ofMillis(50)));
    try {
      SimulatedCase created = cloud.simulation().createCase(account, "disk full", "amazon-elastic-compute-cloud-linux", "high", "en");
      cloud.simulation().addCommunication(created.caseId(), true, "we are looking");
      cloud.simulation().addCommunication(created.caseId(), false, "thanks");
      cloud.simulation().setSeverity(created.caseId(), "urgent"); // no event in AWS either
      cloud.simulation().resolve(created.caseId());
      cloud.simulation().reopen(created.caseId());

      List<SupportEvent> events = receive(queue, 5).stream()
          .map(m -> parse(m.body(), m.messageId())).toList();

      assertThat(events).extracting(SupportEvent::getEventName).containsExactlyInAnyOrder(
          "CreateCase", "AddCommunicationToCase", "AddCommunicationToCase", "ResolveCase", "ReopenCase");
      assertThat(events).allSatisfy(e -> {
        assertThat(e.getAccountId()).isEqualTo(account);
        assertThat(e.getCaseId()).isEqualTo(created.caseId());
        assertThat(e.getDisplayId()).isEqualTo(created.displayId());
        assertThat(e.getRegion()).isEqualTo("us-east-1");
      });
      assertThat(events).filteredOn(e -> e.getEventName().equals("AddCommunicationToCase"))
          .extracting(SupportEvent::getOrigin).containsExactlyInAnyOrder("AWS", "CUSTOMER");
      assertThat(events).filteredOn(e -> e.getEventName().equals("AddCommunicationToCase"))
          .allSatisfy(e -> assertThat(e.getCommunicationId()).startsWith("ekko-"));
      assertThat(events).filteredOn(e -> !e.getEventName().equals("AddCommunicationToCase"))
          .allSatisfy(e -> assertThat(e.getOrigin()).isNull());
      assertThat(cloud.supportEvents().announced()).extracting(SupportCaseEvent::eventId)
          .containsAll(events.stream().map(SupportEvent::getEventId).toList());
    } finally {
      cloud.supportEvents().configure(EventDelivery.OFF);
    }
  }

  @Test
  void theAwsCliReadsTheQueueOverTheQueryProtocol() throws Exception {
    String queue = sqs.createQueue(b -> b.queueName("cli-events")).queueUrl();
    cloud.supportEvents().configure(EventDelivery.to(queue, Duration.ZERO));
    SimulatedCase created;
    try {
      created = cloud.simulation().createCase(account, "cli", "general-info", "low", "ja");
    } finally {
      cloud.supportEvents().configure(EventDelivery.OFF);
    }

    JsonNode reply = JSON.readTree(ExternalProgram.run(workDir, credentials(), List.of(ExternalProgram.AWS_CLI,
        "sqs", "receive-message", "--queue-url", queue, "--wait-time-seconds", "20", "--max-number-of-messages", "10",
        "--endpoint-url", cloud.sqsEndpoint().toString(), "--output", "json")));

    JsonNode messages = reply.path("Messages");
    assertThat(messages.size()).isEqualTo(1);
    SupportEvent event = parse(messages.get(0).path("Body").asText(), messages.get(0).path("MessageId").asText());
    assertThat(event.getEventName()).isEqualTo("CreateCase");
    assertThat(event.getCaseId()).isEqualTo(created.caseId());
  }

  @Test
  void boto3ReadsAndDeletes() throws Exception {
    String queue = sqs.createQueue(b -> b.queueName("boto3-events")).queueUrl();
    cloud.supportEvents().configure(EventDelivery.to(queue, Duration.ZERO));
    SimulatedCase created;
    try {
      created = cloud.simulation().createCase(account, "boto3", "general-info", "low", "en");
      cloud.simulation().resolve(created.caseId());
    } finally {
      cloud.supportEvents().configure(EventDelivery.OFF);
    }
    awaitVisible(queue, 2);

    Map<String, String> env = credentials();
    env.put("LOCALCLOUD_SQS", cloud.sqsEndpoint().toString());
    JsonNode reply = JSON.readTree(ExternalProgram.run(workDir, env, List.of(ExternalProgram.PYTHON,
        ExternalProgram.resource("python/boto3_sqs.py").toString(), queue)));

    List<String> names = new ArrayList<>();
    reply.path("bodies").forEach(body -> names.add(parse(body.asText(), null).getEventName()));
    assertThat(names).containsExactlyInAnyOrder("CreateCase", "ResolveCase");
    assertThat(reply.path("left").asText()).isEqualTo("0");
  }

  @Test
  void lossAndDuplicationAreCountedAgainstTheGroundTruth() {
    String queue = sqs.createQueue(b -> b.queueName("faulty-events")).queueUrl();
    cloud.supportEvents().configure(EventDelivery.to(queue, Duration.ZERO).withFaults(0, 1, 1, Duration.ofMillis(100)));
    SimulatedCase created;
    try {
      created = cloud.simulation().createCase(account, "twice", "general-info", "low", "en");
      cloud.supportEvents().configure(EventDelivery.to(queue, Duration.ZERO).withFaults(1, 0, 0, Duration.ZERO));
      cloud.simulation().resolve(created.caseId());
    } finally {
      cloud.supportEvents().configure(EventDelivery.OFF);
    }

    List<Message> messages = receive(queue, 2);

    assertThat(messages).extracting(m -> parse(m.body(), m.messageId()).getEventName()).containsExactly("CreateCase", "CreateCase");
    assertThat(messages.get(0).messageId()).isNotEqualTo(messages.get(1).messageId());
    assertThat(parse(messages.get(0).body(), null).getEventId()).isEqualTo(parse(messages.get(1).body(), null).getEventId());
    List<SupportCaseEvent> truth = cloud.supportEvents().announced().stream()
        .filter(e -> e.caseId().equals(created.caseId())).toList();
    assertThat(truth).extracting(SupportCaseEvent::eventName, SupportCaseEvent::copiesSent)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("CreateCase", 2), org.assertj.core.groups.Tuple.tuple("ResolveCase", 0));
    assertThat(cloud.supportEvents().lost()).isPositive();
    assertThat(cloud.supportEvents().duplicated()).isPositive();
  }

  /** Long-polls until {@code count} messages arrived (each deleted), or fails after 10 empty polls. */
  private static List<Message> receive(String queue, int count) {
    List<Message> received = new ArrayList<>();
    for (int empty = 0; received.size() < count && empty < 10; ) {
      List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(2)).messages();
      if (batch.isEmpty()) {
        empty++;
      }
      for (Message message : batch) {
        received.add(message);
        sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(message.receiptHandle()));
      }
    }
    assertThat(received).as("messages on " + queue).hasSize(count);
    return received;
  }

  private static void awaitVisible(String queue, int count) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Integer.parseInt(sqs.getQueueAttributes(
        b -> b.queueUrl(queue).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)) >= count);
  }

  private static SupportEvent parse(String body, String messageId) {
    SupportEventParser.Result result = SupportEventParser.parse(body, Instant.now(), messageId);
    assertThat(result.ok()).as("%s: %s", result.reason(), body).isTrue();
    return result.event();
  }

  private static Map<String, String> credentials() {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", "test");
    return env;
  }

}
