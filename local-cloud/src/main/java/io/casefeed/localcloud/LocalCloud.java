package io.casefeed.localcloud;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.common.http.HttpLimits;
import io.casefeed.common.http.WebServer;
import io.casefeed.localcloud.admin.AdminApi;
import io.casefeed.localcloud.athena.AthenaApi;
import io.casefeed.localcloud.aws.AwsEndpoint;
import io.casefeed.localcloud.identity.CredentialStore;
import io.casefeed.localcloud.identity.IssuedCredentials;
import io.casefeed.localcloud.aws.RequestAuthenticator;
import io.casefeed.localcloud.events.SupportEventBridge;
import io.casefeed.localcloud.organizations.OrganizationsApi;
import io.casefeed.localcloud.registry.SchemaRegistryServer;
import io.casefeed.localcloud.registry.SchemaStore;
import io.casefeed.localcloud.s3.LocalS3;
import io.casefeed.localcloud.ses.Outbox;
import io.casefeed.localcloud.ses.SesApi;
import io.casefeed.localcloud.sns.PublishedMessage;
import io.casefeed.localcloud.sns.SnsApi;
import io.casefeed.localcloud.sqs.LocalSqs;
import io.casefeed.localcloud.sts.StsApi;
import io.casefeed.localcloud.support.SupportApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local stand-ins for the AWS services casefeed calls (Support, STS, Organizations, SES v1 and v2 and
 * Athena on one endpoint), an S3-compatible server and a Confluent-compatible schema registry, around a
 * simulated organisation whose cases live and change. Everything binds to 127.0.0.1 unless told otherwise.
 */
public final class LocalCloud implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalCloud.class);
  /**
   * Injected latency holds a thread per call, so there are enough for ~1,000 calls/s at 100 ms each
   * (idle ones time out), and many may wait their turn, as the benchmarks' bursts do. Bodies up to
   * 128 MB: SES's own 40 MB limit (base64 in JSON or a form) must be what refuses a big mail.
   */
  static final HttpLimits AWS_LIMITS = new HttpLimits(128 + 4, 128, 4096, Duration.ofSeconds(60), 16 * 1024,
      128L * 1024 * 1024, Duration.ofSeconds(30), Duration.ofSeconds(60));
  /** Organizations reports when each account joined; a fixed origin keeps replies stable. */
  private static final Instant ORGANISATION_CREATED = Instant.parse("2021-01-04T09:00:00Z");

  private final Deque<AutoCloseable> opened = new ArrayDeque<>();
  private final Path dataDir;
  private final Simulation simulation;
  private final Outbox outbox;
  private final SnsApi sns;
  /** The organisation's scenario: the saved one when the data dir already holds an organisation. */
  private final Scenario scenario;
  private final Instant startedAt;
  private final String advertisedHost;
  private WebServer awsServer;
  private LocalS3 s3;
  private SchemaRegistryServer registry;
  private LocalSqs sqs;
  private SupportEventBridge supportEvents;

  private LocalCloud(LocalCloudOptions options) throws IOException {
    this.advertisedHost = options.advertisedHost();
    this.dataDir = options.dataDir() != null ? Files.createDirectories(options.dataDir()) : Files.createTempDirectory("localcloud");
    try {
      // SES v2 takes messages up to 40 MB, sent base64-encoded in one JSON string: Jackson's default
      // 20 M characters would refuse mails SES accepts, and a cap near 40 MB of base64 would answer a
      // bigger mail with a SerializationException where SES answers MessageRejected. A string may be as
      // long as the largest body, so SES's own size check is what refuses a big mail.
      ObjectMapper json = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
          .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
              .maxStringLength((int) AWS_LIMITS.maxBodyBytes()).build()).build());
      this.simulation = new Simulation(options.scenario(), dataDir, options.clock(), new Faults());
      this.scenario = simulation.scenario();
      opened.push(simulation);
      String managementId = simulation.managementAccountId();
      CredentialStore credentials = new CredentialStore(dataDir, options.clock(),
          CredentialStore.managementUser(scenario.accessKeyId(), scenario.secretAccessKey(), managementId),
          CredentialStore.managementRoot(scenario.accessKeyId(), scenario.secretAccessKey(), managementId));
      this.outbox = new Outbox(dataDir.resolve("outbox"), json);
      this.sns = new SnsApi(dataDir.resolve("sns"), options.clock(), json);
      // Athena reads the tables' files where the S3 stand-in keeps them (one folder per bucket).
      AthenaApi athena = new AthenaApi(dataDir.resolve("s3"), options.clock(), json);
      opened.push(athena);
      AwsEndpoint endpoint = new AwsEndpoint(simulation, new RequestAuthenticator(credentials),
          new SupportApi(simulation, json),
          new OrganizationsApi(simulation, json, ORGANISATION_CREATED),
          new StsApi(simulation, credentials),
          new SesApi(outbox, options.clock(), json, scenario.sesSandbox(), scenario.verifiedIdentities()),
          sns, athena, json, options.meterRegistry());

      try {
        awsServer = WebServer.builder("localcloud-aws").bind(options.bindAddress(), options.port()).limits(AWS_LIMITS)
            // A path no AWS client uses; everything else is an AWS call, routed by the endpoint itself.
            .prefix("*", "/_localcloud/", new AdminApi(simulation, outbox, json))
            .prefix("*", "/", endpoint)
            .start();
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      opened.push(awsServer);

      s3 = new LocalS3(dataDir.resolve("s3"), options.bindAddress(), options.advertisedHost(), options.s3Port(),
          scenario.accessKeyId(), scenario.secretAccessKey());
      opened.push(s3);
      registry = new SchemaRegistryServer(new SchemaStore(dataDir, json), json, options.bindAddress(), options.advertisedHost(),
          options.schemaRegistryPort());
      opened.push(registry);
      sqs = new LocalSqs(options.bindAddress(), options.advertisedHost(), options.sqsPort(), managementId);
      opened.push(sqs);
      supportEvents = new SupportEventBridge(simulation, sqs);
      opened.push(supportEvents);
      simulation.start();
      startedAt = options.clock().instant();
    } catch (IOException | RuntimeException e) {
      closeOpened(e);
      throw e;
    }
    LOG.info("local-cloud up: aws {} s3 {} schema registry {} sqs {} data {}", awsEndpoint(), s3Endpoint(), schemaRegistryUrl(),
        sqsEndpoint(), dataDir);
  }

  /** Starts every server; throws (having stopped what it started) when a port is taken or the data dir unusable. */
  public static LocalCloud start(LocalCloudOptions options) {
    try {
      return new LocalCloud(options);
    } catch (IOException e) {
      throw new UncheckedIOException("local-cloud cannot start: " + e.getMessage(), e);
    }
  }

  /** Support, STS, Organizations, SES v1 and v2, Athena, and the admin API under {@code /_localcloud/}. */
  public URI awsEndpoint() {
    return URI.create("http://" + advertisedHost + ":" + awsServer.port());
  }

  /** The S3-compatible server (path-style addressing), credentials {@link #accessKeyId()} / {@link #secretAccessKey()}. */
  public URI s3Endpoint() {
    return s3.endpoint();
  }

  /** Amazon SQS (JSON and query protocols), any credentials accepted. */
  public URI sqsEndpoint() {
    return sqs.endpoint();
  }

  public LocalSqs sqs() {
    return sqs;
  }

  /** EventBridge's Support Case Update events: off until {@link SupportEventBridge#configure} names a queue. */
  public SupportEventBridge supportEvents() {
    return supportEvents;
  }

  public String schemaRegistryUrl() {
    return registry.url();
  }

  /** Turns a schema-registry outage on or off: while on, the registry answers every request 503. */
  public void schemaRegistryOutage(boolean on) {
    registry.outage(on);
  }

  /** Where SES mails are saved as {@code .eml} files. */
  public Path outboxDir() {
    return outbox.folder();
  }

  public Path dataDir() {
    return dataDir;
  }

  public String managementAccountId() {
    return simulation.managementAccountId();
  }

  /** The management account's static access key ("test" unless the scenario says otherwise). */
  public String accessKeyId() {
    return scenario.accessKeyId();
  }

  public String secretAccessKey() {
    return scenario.secretAccessKey();
  }

  public Simulation simulation() {
    return simulation;
  }

  /** Every mail SES accepted, oldest first. */
  public List<OutboxMessage> outbox() {
    return outbox.messages();
  }

  /** Every message SNS accepted, oldest first (saved as JSON files under {@link #snsDir()}). */
  public List<PublishedMessage> snsMessages() {
    return sns.messages();
  }

  public Path snsDir() {
    return sns.folder();
  }

  public Instant startedAt() {
    return startedAt;
  }

  private void closeOpened(Exception cause) {
    try {
      close();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("local-cloud did not stop cleanly", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
