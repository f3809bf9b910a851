package io.casefeed.streams.it;

import static io.casefeed.streams.testing.Cases.T0;
import static io.casefeed.streams.testing.Cases.account;
import static io.casefeed.streams.testing.Cases.details;
import static io.casefeed.streams.testing.Cases.observation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.casefeed.common.config.CommonConfig;
import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.privacy.PersonalData;
import io.casefeed.schemas.registry.InMemorySchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.streams.CaseStreamsApp;
import io.casefeed.streams.config.StreamProcessorConfig;
import io.casefeed.streams.query.QueryServer;
import io.casefeed.streams.testing.Http;
import io.casefeed.streams.testing.KafkaIO;
import io.casefeed.streams.testing.StreamsTestConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two instances of the app share the partitions; either answers for all cases, forwarding to the owner. */
class TwoInstanceQueryIT {

  private static final String TOKEN = "s3cret-token-two-instances";
  private static final String HASHED_SUBJECT = PersonalData.hash("EC2 instance unreachable");
  private static final List<String> ACCOUNTS = List.of("111111111111", "222222222222");

  @TempDir Path stateDir;

  @Test
  void eitherInstanceAnswersForEveryCase() throws Exception {
    String prefix = KafkaFixture.unique("two") + ".";
    String applicationId = KafkaFixture.unique("two-app");
    KafkaFixture.createTopics(prefix, Topics.ALL, 4);
    String bootstrap = KafkaFixture.bootstrapServers();
    InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    try (CaseStreamsApp first = instance(prefix, applicationId, "first", registry);
        CaseStreamsApp second = instance(prefix, applicationId, "second", registry);
        KafkaProducer<String, AccountRecord> accounts = KafkaIO.producer(bootstrap, new AvroSerde<>(AccountRecord.class, registry).serializer());
        KafkaProducer<String, CaseObservation> observations =
            KafkaIO.producer(bootstrap, new AvroSerde<>(CaseObservation.class, registry).serializer())) {
      List<String> caseKeys = new ArrayList<>();
      for (String accountId : ACCOUNTS) {
        KafkaIO.send(accounts, prefix + Topics.ACCOUNTS.name(), accountId, account(accountId));
        for (int i = 0; i < 4; i++) {
          CaseObservation observation = observation(details(accountId, "case-" + i).setSeverityCode(i % 2 == 0 ? "low" : "high").build(), T0);
          String key = CaseKeys.of(accountId, "case-" + i);
          caseKeys.add(key);
          KafkaIO.send(observations, prefix + Topics.CASE_OBSERVATIONS.name(), key, observation);
        }
      }
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        assertThat(first.state()).isEqualTo(KafkaStreams.State.RUNNING);
        assertThat(second.state()).isEqualTo(KafkaStreams.State.RUNNING);
        for (CaseStreamsApp app : List.of(first, second)) {
          Http.Reply reply = Http.get(app.queryUrl() + "/api/cases?limit=100", TOKEN);
          assertThat(reply.status()).isEqualTo(200);
          assertThat(reply.body().path("total").asInt()).isEqualTo(8);
        }
      });

      for (CaseStreamsApp app : List.of(first, second)) {
        for (String key : caseKeys) {
          Http.Reply reply = Http.get(app.queryUrl() + "/api/cases/" + CaseKeys.accountId(key) + "/" + CaseKeys.caseId(key), TOKEN);
          assertThat(reply.status()).as(key + " via " + app.queryUrl()).isEqualTo(200);
          assertThat(reply.body().path("caseDetails").path("caseId").asText()).isEqualTo(CaseKeys.caseId(key));
          assertThat(reply.body().path("history").get(0).path("changeType").asText()).isEqualTo("CASE_OPENED");
        }
        JsonNode pivot = Http.get(app.queryUrl() + "/api/pivot?rows=account&cols=severity&status=opened", TOKEN).body();
        assertThat(pivot.path("total").asLong()).isEqualTo(8);
        assertThat(pivot.path("data").get(0).path("counts").path("high").asLong()).isEqualTo(2);
        assertThat(Http.get(app.queryUrl() + "/api/accounts", TOKEN).body()).hasSize(2);
        JsonNode page = Http.get(app.queryUrl() + "/api/cases?severity=high&sort=account&limit=3&offset=1", TOKEN).body();
        assertThat(page.path("total").asInt()).isEqualTo(4);
        assertThat(page.path("cases")).hasSize(3);
        // Each instance treats its own share once: a hash is never hashed again on the way.
        JsonNode listed = Http.get(app.queryUrl() + "/api/cases?limit=100", TOKEN).body().path("cases");
        listed.forEach(each -> assertThat(each.path("caseDetails").path("subject").asText()).isEqualTo(HASHED_SUBJECT));
      }

      // /internal/cases: a page at a time, in key order, privacy applied; both shares make the whole.
      List<String> served = new ArrayList<>();
      for (CaseStreamsApp app : List.of(first, second)) {
        String after = null;
        int pages = 0;
        do {
          HttpResponse<String> reply = Http.raw(app.queryUrl() + "/internal/cases?limit=1" + (after == null ? "" : "&after=" + after), TOKEN);
          assertThat(reply.statusCode()).isEqualTo(200);
          assertThat(reply.headers().firstValue("Cache-Control")).hasValue("no-store");
          assertThat(reply.body().lines().toList()).hasSizeLessThanOrEqualTo(1).allSatisfy(line ->
              assertThat(line).contains(HASHED_SUBJECT).doesNotContain("EC2 instance unreachable"));
          reply.body().lines().forEach(line -> served.add(line.replaceAll(".*\"caseId\":\"([^\"]+)\".*", "$1")
              + "@" + line.replaceAll(".*\"accountId\":\"([^\"]+)\".*", "$1")));
          after = reply.headers().firstValue(QueryServer.NEXT_AFTER_HEADER).orElse(null);
          pages++;
        } while (after != null && pages < 20);
        assertThat(after).as("the last page says there is no next").isNull();
      }
      assertThat(served).doesNotHaveDuplicates().hasSize(8);
      assertThat(Http.raw(first.queryUrl() + "/internal/cases?limit=501", TOKEN).statusCode()).isEqualTo(400);
      assertThat(Http.raw(first.queryUrl() + "/internal/cases", null).statusCode()).isEqualTo(401);
      assertThat(Http.get(first.queryUrl() + "/api/cases").status()).as("no token").isEqualTo(401);
      assertThat(Http.get(first.queryUrl() + "/api/cases", "wrong").status()).isEqualTo(401);
      assertThat(Http.get(first.queryUrl() + "/api/cases/111111111111/nope", TOKEN).status()).isEqualTo(404);
    }
  }

  private CaseStreamsApp instance(String prefix, String applicationId, String name, InMemorySchemaRegistryClient registry) throws IOException {
    int port = freePort();
    Map<String, String> settings = StreamsTestConfig.settings(prefix, applicationId, stateDir.resolve(name), "http://127.0.0.1:1");
    settings.put(StreamProcessorConfig.QUERY_PORT, Integer.toString(port));
    settings.put(StreamProcessorConfig.APPLICATION_SERVER, "127.0.0.1:" + port);
    settings.put(StreamProcessorConfig.QUERY_TOKEN, TOKEN);
    settings.put(CommonConfig.PRIVACY_SUBJECTS, "hash");
    return new CaseStreamsApp(new StreamProcessorConfig(settings), registry, Clock.systemUTC(), new SimpleMeterRegistry()).start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
