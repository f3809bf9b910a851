package io.casefeed.app.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.app.Casefeed;
import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.notifier.Notifier;
import io.casefeed.notifier.resend.FailedMail;
import io.casefeed.notifier.resend.FailedMailCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** {@code casefeed notifications list|give-up} on the real broker, over records as the notifier writes them. */
class NotificationsCommandIT {

  private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");

  private record Run(int exit, String out, String err) {}

  private static Run casefeed(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream outText = new ByteArrayOutputStream();
    ByteArrayOutputStream errText = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(outText, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errText, true, StandardCharsets.UTF_8));
      int exit = Casefeed.commandLine().execute(args);
      return new Run(exit, outText.toString(StandardCharsets.UTF_8), errText.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private static FailedMail mail(String id, int failures, Instant next) {
    return new FailedMail(id, "alert", "ops", "ops@example.com", T0.toString(), "[casefeed] ops: 1 urgent case opened",
        "MIME-Version: 1.0\r\n\r\nbody".getBytes(StandardCharsets.UTF_8), failures, T0, T0.plusSeconds(60L * failures),
        "HTTP 503 ServiceUnavailable", next);
  }

  @Test
  void listShowsTheKeptMailsAndGiveUpWritesATombstoneForChosenOnesOnly() throws Exception {
    String prefix = KafkaFixture.unique("resends-cli") + ".";
    KafkaFixture.createTopics(prefix, List.of(Notifier.RESENDS), 2);
    String topic = prefix + Notifier.RESENDS.name();
    try (var producer = new KafkaProducer<byte[], byte[]>(Map.of("bootstrap.servers", KafkaFixture.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (var record : List.of(
          new ProducerRecord<>(topic, "alert|a".getBytes(StandardCharsets.UTF_8), FailedMailCodec.encode(mail("alert|a", 3, null))),
          new ProducerRecord<>(topic, "alert|b".getBytes(StandardCharsets.UTF_8),
              FailedMailCodec.encode(mail("alert|b", 1, T0.plusSeconds(900)))),
          new ProducerRecord<>(topic, "alert|c".getBytes(StandardCharsets.UTF_8), FailedMailCodec.encode(mail("alert|c", 1, null))),
          new ProducerRecord<byte[], byte[]>(topic, "alert|c".getBytes(StandardCharsets.UTF_8), null))) {
        producer.send(record).get(30, TimeUnit.SECONDS);
      }
    }
    String[] cluster = {"--bootstrap-servers", KafkaFixture.bootstrapServers(), "--topic-prefix", prefix};

    Run list = casefeed(concat(new String[] {"notifications", "list"}, cluster));
    assertThat(list.exit()).isZero();
    assertThat(list.out()).contains("alert|a  alert to ops@example.com, failed 3 time(s)").contains("waits for an operator")
        .contains("alert|b").contains("next resend at " + T0.plusSeconds(900)).doesNotContain("alert|c")
        .contains("2 failed mail(s) kept, 1 waiting for an operator");

    Run unknown = casefeed(concat(new String[] {"notifications", "give-up", "--mail-id", "alert|a", "--mail-id", "alert|zzz"}, cluster));
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("alert|zzz");
    assertThat(casefeed(concat(new String[] {"notifications", "list"}, cluster)).out()).as("nothing given up").contains("alert|a");

    Run neither = casefeed(concat(new String[] {"notifications", "give-up"}, cluster));
    assertThat(neither.exit()).isEqualTo(2);
    assertThat(neither.err()).contains("--mail-id").contains("--all-waiting");

    Run giveUp = casefeed(concat(new String[] {"notifications", "give-up", "--all-waiting"}, cluster));
    assertThat(giveUp.exit()).isZero();
    assertThat(giveUp.out()).contains("gave up on alert|a").contains("1 failed mail(s) given up");
    assertThat(new FailedMailsBrowser(Map.of("bootstrap.servers", KafkaFixture.bootstrapServers()), topic).list())
        .extracting(FailedMail::mailId).containsExactly("alert|b");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
