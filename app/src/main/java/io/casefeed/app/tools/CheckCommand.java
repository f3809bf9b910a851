package io.casefeed.app.tools;

import io.casefeed.common.component.ExitCodes;
import io.casefeed.common.aws.AwsClientFactory;
import io.casefeed.common.aws.AwsSettings;
import io.casefeed.common.config.CommonConfig;
import io.casefeed.schemas.Topics;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import org.apache.kafka.common.config.types.Password;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code casefeed check}: verifies a production setup before start and prints what is wrong. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Verifies a setup before start: Kafka and every topic (partitions, cleanup policy, replication, read/write access), "
        + "the schema registry, the S3 bucket (writable), the SES identity (verified) and the queue of AWS Support events "
        + "(its depth, and its dead-letter queue empty). Exit 1 when anything is wrong.")
public final class CheckCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Option(names = "--bucket", description = "S3 bucket the sink writes to (checked when given).")
  String bucket;

  @Option(names = "--prefix", defaultValue = "casefeed", description = "Key prefix in the bucket (default: ${DEFAULT-VALUE}).")
  String prefix;

  @Option(names = "--ses-identity", description = "The notifier's sender address or domain (checked when given).")
  String sesIdentity;

  @Option(names = "--region", defaultValue = "us-east-1", description = "AWS region of S3 and SES (default: ${DEFAULT-VALUE}).")
  String region;

  @Option(names = "--s3-endpoint", description = "S3 endpoint override (local S3, MinIO); path-style access.")
  URI s3Endpoint;

  @Option(names = "--aws-endpoint", description = "Endpoint override for SES (local-cloud).")
  URI awsEndpoint;

  @Option(names = "--events-queue-url", description = "The collector's events.queue.url: its depth, its dead-letter queue's, and per account the time of the last event seen (checked when given).")
  String eventsQueueUrl;

  @Option(names = "--sqs-endpoint", description = "SQS endpoint override (local-cloud).")
  URI sqsEndpoint;

  @Option(names = "--local-credentials", description = "Use the local stand-ins' static key test/test instead of the default credential chain.")
  boolean localCredentials;

  @Override
  public Integer call() {
    CommonConfig config = cluster.toConfig();
    SetupCheck check = new SetupCheck(config).kafka(Topics.ALL).schemaRegistry();
    // The check's flags in the one AWS vocabulary, so its clients are built like the components'.
    Map<String, URI> endpoints = new HashMap<>();
    if (s3Endpoint != null) {
      endpoints.put("s3", s3Endpoint);
    }
    if (awsEndpoint != null) {
      endpoints.put("ses", awsEndpoint);
    }
    if (sqsEndpoint != null) {
      endpoints.put("sqs", sqsEndpoint);
    }
    AwsSettings aws = new AwsSettings(region, null, endpoints, Map.of(),
        localCredentials ? "test" : null, localCredentials ? new Password("test") : null, s3Endpoint != null);
    AwsClientFactory clients = AwsClientFactory.perClient(aws, Duration.ofSeconds(30));
    if (bucket != null) {
      try (S3Client s3 = clients.configure("s3", S3Client.builder()).forcePathStyle(aws.s3PathStyle()).build()) {
        check.bucketWritable(s3, bucket, prefix);
      }
    }
    if (sesIdentity != null) {
      try (SesV2Client ses = clients.configure("ses", SesV2Client.builder()).build()) {
        check.sesIdentity(ses, sesIdentity);
      }
    }
    if (eventsQueueUrl != null) {
      try (SqsClient sqs = clients.configure("sqs", SqsClient.builder()).build()) {
        check.eventsQueue(sqs, eventsQueueUrl);
      }
      check.lastEvents();
    }
    check.results().forEach(System.out::println);
    long failed = check.results().stream().filter(r -> !r.ok()).count();
    System.out.println(failed == 0 ? "all " + check.results().size() + " checks passed" : failed + " of " + check.results().size() + " checks failed");
    return failed == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
