package io.casefeed.sink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.schema.CaseState;
import io.casefeed.sink.snapshot.CaseListSnapshots;
import io.casefeed.common.retry.Backoff;
import io.casefeed.sink.store.S3ObjectStore;
import io.casefeed.sink.testing.Changes;
import io.casefeed.sink.testing.LocalS3;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** casefeed query over a snapshot in a real local S3: the views answer, printed as CSV. */
class QueryCommandIT {

  @Test
  void runsThePivotViewOverObjectsFetchedThroughTheS3Api(@TempDir Path dir) throws Exception {
    try (LocalS3 s3 = LocalS3.start("query-it"); S3Client client = s3.client()) {
      List<CaseState> states = new ArrayList<>();
      for (int n = 1; n <= 12; n++) {
        states.add(Changes.state(Changes.details(n <= 8 ? "333333333301" : "333333333302", n, "s" + n), Instant.EPOCH));
      }
      new CaseListSnapshots(new S3ObjectStore(client, "query-it", Backoff.fullJitter(3, Duration.ofMillis(10), Duration.ofMillis(50)),
          Long.MAX_VALUE, Integer.MAX_VALUE, new SimpleMeterRegistry()), "cf").write(states, Instant.parse("2026-11-26T12:00:00Z"));

      CommandsTest.Output output = CommandsTest.run(new QueryCommand(),
          "--endpoint", s3.endpoint().toString(), "--bucket", "query-it", "--prefix", "cf",
          "--access-key", LocalS3.ACCESS_KEY, "--secret-key", LocalS3.SECRET_KEY, "--cache", dir.toString(),
          "SELECT account_id, sum(cases) AS cases FROM case_counts_by_account_status GROUP BY 1 ORDER BY 1");

      assertThat(output.err()).isEmpty();
      assertThat(output.exitCode()).isZero();
      assertThat(output.out()).isEqualTo("account_id,cases\r\n333333333301,8\r\n333333333302,4\r\n");
    }
  }
}
