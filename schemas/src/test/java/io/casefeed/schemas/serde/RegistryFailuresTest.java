package io.casefeed.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.casefeed.schema.AccountRecord;
import io.casefeed.schemas.Topics;
import io.casefeed.schemas.examples.ExampleRecords;
import io.casefeed.schemas.registry.HttpSchemaRegistryClient;
import io.casefeed.schemas.registry.InMemorySchemaRegistryClient;
import io.casefeed.schemas.registry.SchemaRegistryClient;
import io.casefeed.schemas.registry.SchemaRegistryException;
import com.fasterxml.jackson.core.JsonParseException;
import java.io.IOException;
import java.net.ServerSocket;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryFailuresTest {

  private static final AccountRecord ACCOUNT = (AccountRecord) ExampleRecords.byTopic().get(Topics.ACCOUNTS);

  @ParameterizedTest
  @ValueSource(ints = {-1, 500, 502, 503, 504, 401, 403, 408, 429})
  void unreachableServerErrorsThrottlingAndRefusedCredentialsAreOutages(int status) {
    SchemaRegistryException error = new SchemaRegistryException("GET /schemas/ids/7 failed: HTTP " + status, status, -1, null);
    assertThat(RegistryFailures.isOutage(error)).isTrue();
    assertThat(RegistryFailures.isOutage(new SerializationException("unknown schema id 7: " + error.getMessage(), error))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 404, 409, 422})
  void aRegistryThatAnswersAboutTheRecordIsNoOutage(int status) {
    SchemaRegistryException error = new SchemaRegistryException("schema not found", status, 40403, null);
    assertThat(RegistryFailures.isOutage(new SerializationException("unknown schema id 7", error))).isFalse();
  }

  @Test
  void aReplyThatIsNotTheRegistrysJsonIsAnOutageWhateverItsStatus() {
    for (int status : new int[] {200, 404}) {
      SchemaRegistryException html = new SchemaRegistryException("schema registry replied with non-JSON (HTTP " + status + ")",
          status, -1, new JsonParseException(null, "Unexpected character '<'"));
      assertThat(RegistryFailures.isOutage(html)).as("HTTP %d with HTML", status).isTrue();
    }
    SchemaRegistryException notAvro = new SchemaRegistryException("schema 7 is JSON, not AVRO", 200, -1, null);
    assertThat(RegistryFailures.isOutage(notAvro)).isFalse();
  }

  @Test
  void errorsWithoutTheRegistryAreTheRecordsAndTheGuardsOwnVerdictStays() {
    assertThat(RegistryFailures.isOutage(new SerializationException("truncated", new IOException("EOF")))).isFalse();
    assertThat(RegistryFailures.isOutage(new IllegalArgumentException("tombstone"))).isFalse();
    assertThat(RegistryFailures.isOutage(null)).isFalse();
    assertThat(RegistryFailures.isOutage(new IllegalStateException("wrapped",
        new RegistryUnavailableException("still down", null)))).isTrue();
  }

  @Test
  void aSerdeDecodingThroughAClosedPortFailsAsAnOutage() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    SchemaRegistryClient down = new HttpSchemaRegistryClient("http://127.0.0.1:" + port);
    byte[] written = new AvroSerde<>(AccountRecord.class, new InMemorySchemaRegistryClient())
        .serialize("accounts", ACCOUNT);
    Throwable failure = catchThrowable(() -> new AvroSerde<>(AccountRecord.class, down).deserialize("accounts", written));
    assertThat(failure).isInstanceOf(SerializationException.class).hasRootCauseInstanceOf(IOException.class);
    assertThat(RegistryFailures.isOutage(failure)).isTrue();
  }

  @Test
  void aSerdeReadingBytesThatDoNotMatchTheirSchemaFailsAsABadRecord() {
    InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    AvroSerde<AccountRecord> serde = new AvroSerde<>(AccountRecord.class, registry);
    byte[] written = serde.serialize("accounts", ACCOUNT);
    byte[] truncated = java.util.Arrays.copyOf(written, 8);
    Throwable failure = catchThrowable(() -> serde.deserialize("accounts", truncated));
    assertThat(failure).isInstanceOf(SerializationException.class);
    assertThat(RegistryFailures.isOutage(failure)).isFalse();
  }
}
