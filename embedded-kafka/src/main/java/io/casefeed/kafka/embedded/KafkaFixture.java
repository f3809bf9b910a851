package io.casefeed.kafka.embedded;

import io.casefeed.schemas.TopicSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The integration tests' broker: one per test JVM, started on first use. Where a Docker engine
 * answers it is Testcontainers' Kafka module (the apache/kafka image); elsewhere, as on laptops
 * without Docker and in CI here, the embedded KRaft broker. Either way a real broker. Each test
 * takes its own topic names and application ids from {@link #unique(String)}.
 */
public final class KafkaFixture {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaFixture.class);
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static volatile String bootstrapServers;
  private static volatile EmbeddedKafkaBroker embedded;

  private KafkaFixture() {}

  public static synchronized String bootstrapServers() {
    if (bootstrapServers == null) {
      bootstrapServers = dockerAvailable() ? startContainer() : startEmbedded();
    }
    return bootstrapServers;
  }

  /** The embedded broker, when that is what runs (null under Testcontainers); for restart tests. */
  public static synchronized EmbeddedKafkaBroker embeddedBroker() {
    bootstrapServers();
    return embedded;
  }

  /** A name no other test in this JVM uses: {@code <prefix>-<n>-<pid>}. */
  public static String unique(String prefix) {
    return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + ProcessHandle.current().pid();
  }

  public static Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }

  /** Creates topics named {@code prefix + spec.name()} with each spec's settings; returns the names. */
  public static List<String> createTopics(String prefix, Collection<TopicSpec> specs, int partitions) {
    List<NewTopic> topics = new ArrayList<>();
    for (TopicSpec spec : specs) {
      topics.add(new NewTopic(prefix + spec.name(), partitions > 0 ? partitions : spec.defaultPartitions(), (short) 1)
          .configs(spec.topicConfigs()));
    }
    createTopics(topics);
    return topics.stream().map(NewTopic::name).toList();
  }

  public static void createTopics(Collection<NewTopic> topics) {
    try (Admin admin = admin()) {
      admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topics", e);
    }
  }

  static boolean dockerAvailable() {
    if (Boolean.getBoolean("casefeed.it.embedded")) {
      return false;
    }
    try {
      Class<?> factory = Class.forName("org.testcontainers.DockerClientFactory");
      Object instance = factory.getMethod("instance").invoke(null);
      return (boolean) factory.getMethod("isDockerAvailable").invoke(instance);
    } catch (ReflectiveOperationException | LinkageError e) {
      return false;
    }
  }

  private static String startContainer() {
    try {
      Class<?> type = Class.forName("org.testcontainers.kafka.KafkaContainer");
      Object container = type.getConstructor(String.class).newInstance("apache/kafka:4.1.0");
      type.getMethod("start").invoke(container);
      String servers = (String) type.getMethod("getBootstrapServers").invoke(container);
      LOG.info("integration tests use a Testcontainers Kafka broker at {}", servers);
      return servers;
    } catch (ReflectiveOperationException e) {
      LOG.warn("Docker answers but the Kafka container failed ({}); using the embedded broker", e.toString());
      return startEmbedded();
    }
  }

  private static String startEmbedded() {
    try {
      Path dir = Files.createTempDirectory("casefeed-it-kafka-");
      embedded = EmbeddedKafkaBroker.create(dir, 0).start();
      Runtime.getRuntime().addShutdownHook(new Thread(embedded::stop, "embedded-kafka-stop"));
      LOG.info("integration tests use the embedded KRaft broker at {}", embedded.bootstrapServers());
      return embedded.bootstrapServers();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
