package io.casefeed.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.collector.cli.CollectorCommand;
import io.casefeed.kafka.embedded.KafkaFixture;
import io.casefeed.localcloud.LocalCloud;
import io.casefeed.localcloud.SimulatedAccount;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code casefeed collector --once}, as a scheduled job would run it, with the seed's account file in S3. */
class CollectorOnceCommandIT {

  @TempDir Path dir;

  @Test
  void onceSweepsEveryAccountOfTheS3FilePrintsTheCountsAndExitsZero() throws Exception {
    try (LocalCloud cloud = CollectorFixture.start(CollectorFixture.frozen(10, 3, 6, 0))) {
      List<SimulatedAccount> accounts = cloud.simulation().accounts();
      Map<String, String> settings = CollectorFixture.settings(cloud, KafkaFixture.unique("once") + ".");
      settings.put("accounts.s3.uri", "s3://seed-bucket/config/accounts.txt");
      try (var aws = new io.casefeed.collector.aws.AwsClients(io.casefeed.collector.config.CollectorConfig.load(null, Map.of(), settings));
           var s3 = aws.s3()) {
        s3.createBucket(b -> b.bucket("seed-bucket"));
        String file = "# member accounts\n" + String.join("\n", accounts.stream().map(SimulatedAccount::id).toList()) + "\nnot-an-id\n";
        s3.putObject(b -> b.bucket("seed-bucket").key("config/accounts.txt"),
            software.amazon.awssdk.core.sync.RequestBody.fromString(file));
      }
      Properties properties = new Properties();
      properties.putAll(settings);
      Path config = dir.resolve("collector.properties");
      try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
        properties.store(w, null);
      }

      StringWriter out = new StringWriter();
      CommandLine cli = new CommandLine(new CollectorCommand());
      cli.setOut(new PrintWriter(out));
      int exit = cli.execute("--config", config.toString(), "--once");

      long readable = accounts.stream().filter(a -> a.active() && a.hasRole() && a.supportPlan()).count();
      long cases = accounts.stream().filter(a -> a.active() && a.hasRole() && a.supportPlan())
          .mapToLong(a -> cloud.simulation().cases(a.id()).size()).sum();
      assertThat(exit).isZero();
      assertThat(out.toString()).startsWith("collector once: accounts=" + accounts.size() + " cases=" + cases + " ")
          .contains(" ok=" + readable + " ");
    }
  }
}
