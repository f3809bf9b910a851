package io.casefeed.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.collector.Collector;
import io.casefeed.collector.cli.CollectorComponent;
import io.casefeed.collector.aws.AwsClients;
import io.casefeed.collector.config.CollectorConfig;
import io.casefeed.common.component.Component;
import io.casefeed.common.component.ComponentRunner;
import io.casefeed.common.component.ComponentState;
import io.casefeed.common.component.ExitCodes;
import io.casefeed.common.ops.OpsServer;
import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.localcloud.LocalCloud;
import io.casefeed.localcloud.SimulatedAccount;
import io.casefeed.schema.AccountRecord;
import io.casefeed.schemas.TopicNames;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The collector's readiness against the real broker and local-cloud, wired as {@code casefeed collector}
 * wires it (a component runner reporting to the ops server): not ready while the account list (the
 * seed's account file in S3) cannot be read, ready once it was read and published.
 */
@Timeout(180)
class CollectorReadinessIT {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void notReadyBeforeTheAccountListIsReadReadyAfter() throws Exception {
    try (LocalCloud cloud = CollectorFixture.start(CollectorFixture.frozen(5, 1, 2, 0))) {
      List<String> ids = cloud.simulation().accounts().stream().map(SimulatedAccount::id).limit(3).toList();
      String prefix = KafkaFixture.unique("ready") + ".";
      Map<String, String> settings = CollectorFixture.settings(cloud, prefix);
      settings.put("accounts.s3.uri", "s3://ready-config/accounts.txt");
      settings.put("accounts.refresh.interval.ms", "1000");
      CollectorConfig config = CollectorConfig.load(null, Map.of(), settings);
      AwsClients aws = new AwsClients(config);
      try (S3Client s3 = aws.s3()) {
        s3.createBucket(b -> b.bucket("ready-config")); // the bucket, but no account file yet
      }
      Collector collector = new Collector(config, Clock.systemUTC(), new HttpSchemaRegistryClient(cloud.schemaRegistryUrl()),
          aws, new SimpleMeterRegistry());
      OpsServer ops = new OpsServer("127.0.0.1", 0);
      ComponentRunner runner = ComponentRunner.builder("collector").shutdownHook(false).catchUncaught(false)
          .stopTimeout(Duration.ofSeconds(60)).exitHook(code -> { throw new AssertionError("stop hung, exit " + code); })
          .readinessTo(ops::readiness)
          .add(Component.of("ops", context -> ops.start(), ops))
          .add(Component.resource("aws-clients", aws))
          .add(new CollectorComponent(collector))
          .build();
      CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
        try {
          return runner.run();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      try {
        assertThat(waitFor(() -> runner.state() == ComponentState.RUNNING, Duration.ofSeconds(60))).isTrue();
        assertThat(status(ops, "/health/live")).isEqualTo(200);
        // Several account refreshes (one a second) find no account file: the producer is up, the list is not read.
        assertThat(waitFor(collector::ready, Duration.ofSeconds(6))).as("ready without an account list").isFalse();
        assertThat(status(ops, "/health/ready")).isEqualTo(503);
        assertThat(body(ops, "/health")).contains("\"collector\":\"DOWN\"").contains("\"lifecycle\":\"UP\"");

        try (S3Client s3 = aws.s3()) {
          s3.putObject(b -> b.bucket("ready-config").key("accounts.txt"), RequestBody.fromString(String.join("\n", ids) + "\n"));
        }
        assertThat(waitFor(collector::ready, Duration.ofSeconds(60))).as("ready after the account list was read").isTrue();
        assertThat(status(ops, "/health/ready")).isEqualTo(200);
        assertThat(body(ops, "/health")).contains("\"collector\":\"UP\"");
        // Ready means read: the accounts of the file are in casefeed.accounts already.
        List<ConsumerRecord<String, AccountRecord>> published =
            CollectorFixture.readAll(cloud, TopicNames.of(config, Topics.ACCOUNTS), AccountRecord.class);
        assertThat(published).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(ids);
      } finally {
        runner.stop();
      }
      assertThat(exit.get(90, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
      assertThat(collector.ready()).isTrue(); // sticky: it was read once; the runner's lifecycle part is what drops
      assertThat(runner.ready()).isFalse();
    }
  }

  private static boolean waitFor(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    CountDownLatch never = new CountDownLatch(1);
    while (Instant.now().isBefore(deadline)) {
      if (condition.getAsBoolean()) {
        return true;
      }
      never.await(100, TimeUnit.MILLISECONDS);
    }
    return condition.getAsBoolean();
  }

  private static int status(OpsServer ops, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(ops.url() + path)).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static String body(OpsServer ops, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(ops.url() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
