package io.casefeed.app.erase;

import io.casefeed.app.tools.ClusterOptions;
import io.casefeed.common.component.ExitCodes;
import io.casefeed.common.config.CommonConfig;
import io.casefeed.common.kafka.KafkaClientSettings;
import io.casefeed.schemas.Topics;
import io.casefeed.sink.S3Sink;
import io.casefeed.sink.config.SinkConfig;
import io.casefeed.sink.store.S3ObjectStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code casefeed erase --account A --case C [--apply]} erases one case's personal data; {@code casefeed erase
 * --before DATE [--apply]} erases every case resolved before DATE (retention). A dry run unless --apply.
 */
@Command(name = "erase", mixinStandardHelpOptions = true,
    description = "Erases personal data of one case (--account, --case) or of every case resolved before a date (--before, "
        + "needs --sink-config): tombstones on casefeed.case-observations and casefeed.cases and, with --sink-config, "
        + "every S3 history and snapshot object rewritten with subject and e-mail addresses replaced, plus an audit object "
        + "written first. Shows what it would do unless --apply is given. See docs/data.md.")
public final class EraseCommand implements Callable<Integer> {

  private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
  private static final Pattern CASE_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  @Mixin ClusterOptions cluster;

  @Option(names = "--account", paramLabel = "ACCOUNT_ID", description = "The case's AWS account id (12 digits).")
  String accountId;

  @Option(names = "--case", paramLabel = "CASE_ID", description = "The AWS case id (case-...), as in casefeed's keys.")
  String caseId;

  @Option(names = "--before", paramLabel = "DATE", description = "Erase every case resolved before this UTC date (YYYY-MM-DD), "
      + "instead of --account/--case.")
  String before;

  @Option(names = "--sink-config", paramLabel = "FILE", description = "The sink's config file: the bucket and prefix whose history is rewritten.")
  Path sinkConfig;

  @Option(names = "--apply", description = "Act; without it nothing is written, only the plan is shown.")
  boolean apply;

  @Override
  public Integer call() throws Exception {
    LocalDate beforeDate = null;
    if (before != null) {
      if (accountId != null || caseId != null) {
        System.err.println("erase: give either --before or --account with --case, not both");
        return ExitCodes.USAGE;
      }
      if (sinkConfig == null) {
        System.err.println("erase: --before needs --sink-config (the resolved cases are found in the sink's objects)");
        return ExitCodes.USAGE;
      }
      try {
        beforeDate = LocalDate.parse(before);
      } catch (DateTimeParseException e) {
        System.err.println("erase: --before must be a date YYYY-MM-DD, not " + before);
        return ExitCodes.USAGE;
      }
    } else if (accountId == null || caseId == null || !ACCOUNT_ID.matcher(accountId).matches() || !CASE_ID.matcher(caseId).matches()) {
      System.err.println("erase: --account must be 12 digits and --case an AWS case id (letters, digits, '.', '_', '-'), or give --before DATE");
      return ExitCodes.USAGE;
    }
    CommonConfig config;
    SinkConfig sink = null;
    try {
      config = cluster.toConfig();
      if (sinkConfig != null) {
        sink = SinkConfig.load(sinkConfig, System.getenv(), Map.of());
      }
    } catch (ConfigException e) {
      System.err.println("config error: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    Path scratch = Files.createTempDirectory("casefeed-erase-");
    Map<String, Object> producerSettings = KafkaClientSettings.idempotentProducer(config.kafkaClientSettings());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings, new ByteArraySerializer(), new ByteArraySerializer());
        S3Client s3 = sink == null ? null : S3Sink.s3Client(sink)) {
      S3ObjectStore store = sink == null ? null : new S3ObjectStore(s3, sink.bucket(), sink.retryPolicy(),
          sink.multipartThreshold(), sink.multipartPartSize(), new SimpleMeterRegistry());
      CaseEraser eraser = new CaseEraser(producer, config.topicName(Topics.CASE_OBSERVATIONS.name()),
          config.topicName(Topics.CASES.name()), store,
          sink == null ? "" : sink.prefix(), scratch, Clock.systemUTC());
      CaseEraser.Plan plan = beforeDate == null ? eraser.plan(accountId, caseId) : eraser.planResolvedBefore(beforeDate);
      if (apply) {
        eraser.apply(plan);
      }
      System.out.print(plan.describe(apply));
      if (!apply) {
        System.out.println("dry run: nothing was changed; run again with --apply to erase");
      }
      return ExitCodes.OK;
    } finally {
      try (var files = Files.list(scratch)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(file);
        }
      }
      Files.deleteIfExists(scratch);
    }
  }
}
