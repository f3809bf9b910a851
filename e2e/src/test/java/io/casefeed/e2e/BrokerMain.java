package io.casefeed.e2e;

import io.casefeed.kafka.embedded.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The Kafka broker in a JVM of its own, so the fault suite can SIGKILL it or stop it with SIGTERM and
 * start it again on the same data directory and port. Arguments: data directory, port. Prints
 * {@code kafka: host:port} once it answers.
 */
public final class BrokerMain {

  private BrokerMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 2) {
      System.err.println("usage: BrokerMain <data-dir> <port>");
      System.exit(2);
    }
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create(Path.of(args[0]), Integer.parseInt(args[1])).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      broker.stop();
      stopped.countDown();
    }, "broker-shutdown"));
    System.out.println("kafka: " + broker.bootstrapServers());
    System.out.flush();
    stopped.await();
  }
}
