package io.casefeed.collector.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.schema.AccountRecord;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An error that stops the assignment's thread is reported, not swallowed: the collector must not run half-dead. */
@Timeout(30)
class AccountAssignmentFailureTest {

  private static final String TOPIC = "casefeed.accounts";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

  private static final AccountAssignment.Listener IGNORING = new AccountAssignment.Listener() {
    @Override
    public void partitionsAssigned(Collection<TopicPartition> partitions) {
    }

    @Override
    public void accountsAdded(Map<String, AccountRecord> accounts) {
    }

    @Override
    public void accountsRemoved(Set<String> accountIds) {
    }
  };

  private static MockConsumer<byte[], byte[]> consumer() {
    MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
    consumer.updatePartitions(TOPIC, List.of(new org.apache.kafka.common.PartitionInfo(TOPIC, 0, null, null, null)));
    consumer.updateBeginningOffsets(Map.of(P0, 0L));
    consumer.updateEndOffsets(Map.of(P0, 0L));
    return consumer;
  }

  @Test
  void aConsumerErrorWhilePollingIsReportedOnceAndTheConsumerIsClosed() throws Exception {
    MockConsumer<byte[], byte[]> consumer = consumer();
    KafkaException broken = new KafkaException("not authorized to read casefeed.accounts");
    consumer.setPollException(broken);
    CompletableFuture<Throwable> fatal = new CompletableFuture<>();
    try (AccountAssignment assignment = new AccountAssignment(consumer, TOPIC, null, IGNORING, (r, e) -> { }, fatal::complete)) {
      assignment.start();
      assertThat(fatal.get(10, TimeUnit.SECONDS)).isSameAs(broken);
    }
    assertThat(consumer.closed()).isTrue();
  }

  @Test
  void aDeadLetterThatCannotBeWrittenStopsTheAssignmentThroughItsFailurePath() throws Exception {
    MockConsumer<byte[], byte[]> consumer = consumer();
    consumer.schedulePollTask(() -> {
      consumer.rebalance(List.of(P0));
      consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 0L, null, new byte[] {1}));
    });
    IllegalStateException dlqDown = new IllegalStateException("casefeed.dead-letter not writable");
    CompletableFuture<Throwable> fatal = new CompletableFuture<>();
    try (AccountAssignment assignment = new AccountAssignment(consumer, TOPIC, null, IGNORING,
        (record, reason) -> {
          throw dlqDown;
        }, fatal::complete)) {
      assignment.start();
      assertThat(fatal.get(10, TimeUnit.SECONDS)).isSameAs(dlqDown);
      assertThat(assignment.readOnce()).as("a dead assignment never reports its share read").isFalse();
    }
  }

  @Test
  void closingIsNotAFailure() throws Exception {
    MockConsumer<byte[], byte[]> consumer = consumer();
    CompletableFuture<Throwable> fatal = new CompletableFuture<>();
    AccountAssignment assignment = new AccountAssignment(consumer, TOPIC, null, IGNORING, (r, e) -> { }, fatal::complete);
    assignment.start();
    assignment.close();
    assertThat(consumer.closed()).isTrue();
    assertThat(fatal).isNotDone();
  }
}
