package io.casefeed.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/** Reads the demo's status from where an operator would: the query API, the meters and the consumer groups. */
final class DemoStatusSampler implements AutoCloseable {

  private final Demo demo;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final Admin admin;

  DemoStatusSampler(Demo demo) {
    this.demo = demo;
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, demo.bootstrapServers(),
        AdminClientConfig.CLIENT_ID_CONFIG, "casefeed-demo-status"));
  }

  /** The status now, or null while the query API does not answer yet. */
  DemoStatus sample() throws InterruptedException {
    JsonNode stats;
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(demo.streams().queryUrl() + "/api/stats"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return null;
      }
      stats = json.readTree(response.body());
    } catch (IOException e) {
      return null;
    }
    double changes = demo.meters().find("casefeed.streams.changes").counters().stream().mapToDouble(Counter::count).sum();
    return new DemoStatus(stats.path("coverage").path("accountsPolled").asLong(), stats.path("cases").asLong(),
        stats.path("open").asLong(), (long) changes, demo.cloud().outbox().size(), lag());
  }

  /** Records the consumer groups have yet to read, at the last stable offsets; -1 when the broker does not tell in time. */
  private long lag() throws InterruptedException {
    try {
      List<Map<TopicPartition, OffsetAndMetadata>> groups = new ArrayList<>();
      Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
      for (ConsumerGroupListing group : admin.listConsumerGroups().all().get(2, TimeUnit.SECONDS)) {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group.groupId())
            .partitionsToOffsetAndMetadata().get(2, TimeUnit.SECONDS);
        groups.add(offsets);
        offsets.keySet().forEach(partition -> partitions.put(partition, OffsetSpec.latest()));
      }
      if (partitions.isEmpty()) {
        return 0;
      }
      // Read committed: a transaction's commit marker is not a record anyone has to read.
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin.listOffsets(partitions, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(2, TimeUnit.SECONDS)
          .forEach((partition, info) -> ends.put(partition, info.offset()));
      long lag = 0;
      for (Map<TopicPartition, OffsetAndMetadata> offsets : groups) {
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : offsets.entrySet()) {
          if (entry.getValue() != null && ends.containsKey(entry.getKey())) {
            lag += Math.max(0, ends.get(entry.getKey()) - entry.getValue().offset());
          }
        }
      }
      return lag;
    } catch (ExecutionException | TimeoutException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(2));
  }
}
