package io.casefeed.notifier.delivery;

import io.casefeed.schema.NotificationRecord;
import io.casefeed.schemas.serde.AvroSerde;
import io.casefeed.schemas.serde.RegistryOutageGuard;
import io.casefeed.schemas.serde.RegistryUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Makes the {@link NotificationLedger} from the records of {@code casefeed.notifications}, read as
 * bytes first: decoding waits for the schema registry as long as it is unavailable and the notifier
 * runs, so an outage at start makes the notifier wait (not ready) rather than fail; a record that is
 * bad is dead-lettered like any other.
 */
public final class LedgerReader {

  private final AvroSerde<NotificationRecord> serde;
  private final RegistryOutageGuard registryGuard;
  private final BooleanSupplier running;
  private final BiConsumer<ConsumerRecord<byte[], byte[]>, RuntimeException> deadLetters;

  public LedgerReader(AvroSerde<NotificationRecord> serde, RegistryOutageGuard registryGuard, BooleanSupplier running,
      BiConsumer<ConsumerRecord<byte[], byte[]>, RuntimeException> deadLetters) {
    this.serde = serde;
    this.registryGuard = registryGuard;
    this.running = running;
    this.deadLetters = deadLetters;
  }

  /**
   * The ledger of {@code records} (the whole topic, in order per partition). The schema id the ledger
   * writes with is looked up too, while nothing is owed, not at the first send.
   *
   * @throws RegistryUnavailableException only when the notifier stops while waiting
   */
  public NotificationLedger read(String topic, List<ConsumerRecord<byte[], byte[]>> records) throws InterruptedException {
    NotificationLedger ledger = new NotificationLedger();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      try {
        NotificationRecord notification = awaitRegistry(record.topic() + "-" + record.partition(),
            () -> serde.deserialize(topic, record.value()));
        ledger.apply(new String(record.key(), StandardCharsets.UTF_8), notification);
      } catch (RegistryUnavailableException e) {
        throw e;
      } catch (RuntimeException e) {
        deadLetters.accept(record, e);
      }
    }
    awaitRegistry(topic + "-value", () -> serde.schemaId(topic));
    return ledger;
  }

  private <T> T awaitRegistry(String source, Supplier<T> decode) throws InterruptedException {
    while (true) {
      try {
        return registryGuard.decode(source, decode);
      } catch (RegistryUnavailableException e) {
        if (!running.getAsBoolean()) {
          throw e;
        }
        registryGuard.nextPoll();
      }
    }
  }
}
