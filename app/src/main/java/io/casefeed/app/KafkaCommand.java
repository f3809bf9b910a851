package io.casefeed.app;

import io.casefeed.common.component.ExitCodes;
import io.casefeed.kafka.embedded.EmbeddedKafkaBroker;
import io.casefeed.schemas.Topics;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code casefeed kafka}: a real single-node Kafka broker (KRaft) with casefeed's topics, for laptops. */
@Command(
    name = "kafka",
    mixinStandardHelpOptions = true,
    description = "Runs an embedded Apache Kafka broker (KRaft, single node) on 127.0.0.1 with casefeed's topics; Ctrl-C stops it, its data stays.")
public final class KafkaCommand implements Callable<Integer> {

  @Option(names = "--data-dir", defaultValue = "casefeed-data/kafka", description = "Broker data folder (default: ${DEFAULT-VALUE}); a restart on it keeps every topic.")
  Path dataDir;

  @Option(names = "--port", defaultValue = "9092", description = "Listener port on 127.0.0.1, 0 for a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--partitions", defaultValue = "0", description = "Partitions of each casefeed topic it creates; 0 = the catalogue's (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      System.err.println("casefeed kafka: --port must be 0..65535, got " + port);
      return ExitCodes.USAGE;
    }
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create(dataDir.toAbsolutePath(), port).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      broker.stop();
      stopped.countDown();
    }, "kafka-shutdown"));
    broker.createTopics(Topics.ALL, partitions);
    System.out.println("kafka: " + broker.bootstrapServers());
    System.out.println("data: " + dataDir.toAbsolutePath());
    System.out.flush();
    stopped.await();
    return ExitCodes.OK;
  }
}
