package io.casefeed.kafka.embedded;

import io.casefeed.schemas.TopicSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker in KRaft combined mode (broker and controller in one node), in this
 * JVM, on 127.0.0.1. Its data lives in a folder of the caller's: a restart on the same folder keeps
 * every topic and offset. Never a mock: the same broker code as a production cluster.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private final Path dataDir;
  private final int requestedPort;
  private final Map<String, String> extraBrokerConfig;
  private final SaslSslListener secureListener;
  private KafkaRaftServer server;
  private int port;
  private int securePort;

  private EmbeddedKafkaBroker(Path dataDir, int port, Map<String, String> extraBrokerConfig, SaslSslListener secureListener) {
    this.dataDir = dataDir;
    this.requestedPort = port;
    this.extraBrokerConfig = extraBrokerConfig;
    this.secureListener = secureListener;
  }

  /** A broker on a free port, or on {@code port} when it is not 0. */
  public static EmbeddedKafkaBroker create(Path dataDir, int port) {
    return new EmbeddedKafkaBroker(dataDir, port, Map.of(), null);
  }

  /** A broker that also listens with SASL/SCRAM over TLS ({@link #secureBootstrapServers()}). */
  public static EmbeddedKafkaBroker createWithSaslSsl(Path dataDir, SaslSslListener listener) {
    return new EmbeddedKafkaBroker(dataDir, 0, Map.of(), listener);
  }

  public static EmbeddedKafkaBroker create(Path dataDir, int port, Map<String, String> extraBrokerConfig) {
    return new EmbeddedKafkaBroker(dataDir, port, Map.copyOf(extraBrokerConfig), null);
  }

  /** Formats the storage when new, starts the broker and waits until it answers on its listener. */
  public synchronized EmbeddedKafkaBroker start() {
    if (server != null) {
      return this;
    }
    try {
      Files.createDirectories(dataDir);
      port = requestedPort == 0 ? freePort() : requestedPort;
      int controllerPort = freePort();
      Properties props = brokerProperties(port, controllerPort);
      if (secureListener != null) {
        securePort = freePort();
        props.putAll(secureListener.brokerConfig(port, securePort, controllerPort));
      }
      Path logDir = dataDir.resolve("kraft-logs");
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        format(props);
      }
      KafkaConfig config = KafkaConfig.fromProps(props, false);
      server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      awaitReady(Duration.ofSeconds(60));
      LOG.info("kafka broker ready on {} (data {})", bootstrapServers(), dataDir);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded Kafka in " + dataDir, e);
    }
  }

  public String bootstrapServers() {
    if (server == null) {
      throw new IllegalStateException("broker not started");
    }
    return "127.0.0.1:" + port;
  }

  /** The SASL_SSL listener's address, when the broker has one. */
  public String secureBootstrapServers() {
    if (secureListener == null || server == null) {
      throw new IllegalStateException("no SASL_SSL listener");
    }
    return "127.0.0.1:" + securePort;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Creates the given topics where missing, with the catalogue's settings and replication 1. */
  public void createTopics(Collection<TopicSpec> topics) {
    createTopics(topics, 0);
  }

  /** As {@link #createTopics(Collection)}, with {@code partitions} instead of the catalogue's when it is not 0. */
  public void createTopics(Collection<TopicSpec> topics, int partitions) {
    List<NewTopic> newTopics = new ArrayList<>();
    for (TopicSpec spec : topics) {
      newTopics.add(spec.newTopic(partitions > 0 ? partitions : spec.defaultPartitions(), (short) 1));
    }
    createNewTopics(newTopics);
  }

  public void createNewTopics(Collection<NewTopic> newTopics) {
    try (Admin admin = admin()) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = newTopics.stream().filter(t -> !existing.contains(t.name())).toList();
      if (missing.isEmpty()) {
        return;
      }
      try {
        admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("cannot create topics " + missing + ": " + e.getCause().getMessage(), e);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topics", e);
    } catch (Exception e) {
      throw e instanceof RuntimeException re ? re : new IllegalStateException("cannot create topics", e);
    }
  }

  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }

  /** Stops the broker; its data stays in the data folder. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      server = null;
      LOG.info("kafka broker stopped (data kept in {})", dataDir);
    }
  }

  @Override
  public void close() {
    stop();
  }

  private Properties brokerProperties(int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dataDir.resolve("kraft-logs").toAbsolutePath().toString());
    // A single node: every internal topic with one replica, or groups and transactions hang.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "5");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "false");
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.putAll(extraBrokerConfig);
    return p;
  }

  private void format(Properties props) throws IOException {
    Path configFile = dataDir.resolve("server.properties");
    try (OutputStream out = Files.newOutputStream(configFile)) {
      props.store(out, "casefeed embedded broker");
    }
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    List<String> arguments = new ArrayList<>(List.of(
        "format", "-t", Uuid.randomUuid().toString(), "-c", configFile.toString(), "--ignore-formatted"));
    if (secureListener != null) {
      arguments.addAll(secureListener.formatArguments());
    }
    int rc = StorageTool.execute(arguments.toArray(String[]::new), new PrintStream(captured, true, StandardCharsets.UTF_8));
    if (rc != 0) {
      throw new IllegalStateException("kafka storage format failed: " + captured.toString(StandardCharsets.UTF_8));
    }
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Object> settings = new HashMap<>();
    settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
    settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
    try (Admin admin = Admin.create(settings)) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("embedded Kafka did not become ready within " + timeout, e);
          }
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for embedded Kafka", e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
