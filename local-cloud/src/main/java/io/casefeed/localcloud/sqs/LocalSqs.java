package io.casefeed.localcloud.sqs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * Amazon SQS on its own port: an embedded ElasticMQ, which speaks both SQS protocols, JSON (AWS SDK
 * v2, recent boto3) and query (AWS CLI v2 2.9 / botocore 1.29). Queue URLs follow the Host header
 * the client used, so a container that others reach under another name hands out usable URLs.
 * ElasticMQ does not check signatures: any credentials are accepted.
 */
public final class LocalSqs implements AutoCloseable {

  /** EventBridge's Support events arrive in us-east-1, the Support region of the aws partition. */
  public static final String REGION = "us-east-1";
  private static final Pattern QUEUE_URL = Pattern.compile("<QueueUrl>([^<]+)</QueueUrl>");

  private final SQSRestServer server;
  private final URI endpoint;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * @param port 0 = a free one
   * @param accountId the account in queue URLs and ARNs (the organisation's management account)
   */
  public LocalSqs(String bindAddress, String advertisedHost, int port, String accountId) {
    int chosen = port != 0 ? port : freePort(bindAddress);
    // "*" = the host of each request, so URLs work whatever name the client reached us by.
    this.server = SQSRestServerBuilder.withInterface(bindAddress).withPort(chosen)
        .withServerAddress(new NodeAddress("http", "*", chosen, ""))
        .withAWSRegion(REGION).withAWSAccountId(accountId).start();
    server.waitUntilStarted();
    this.endpoint = URI.create("http://" + advertisedHost + ":" + chosen);
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Creates the queue if absent (SQS's CreateQueue is idempotent) and returns its URL. */
  public String createQueue(String name) {
    String body = "Action=CreateQueue&Version=2012-11-05&QueueName=" + form(name);
    Matcher url = QUEUE_URL.matcher(post(body));
    if (!url.find()) {
      throw new IllegalStateException("CreateQueue " + name + " returned no QueueUrl");
    }
    return url.group(1);
  }

  /** Sends one message, as an EventBridge SQS target does. */
  public void send(String queueUrl, String messageBody) {
    post("Action=SendMessage&Version=2012-11-05&QueueUrl=" + form(queueUrl) + "&MessageBody=" + form(messageBody));
  }

  private String post(String form) {
    HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() != 200) {
        throw new IllegalStateException("SQS answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException("SQS at " + endpoint + " unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling SQS", e);
    }
  }

  private static String form(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** ElasticMQ cannot report a port it chose itself, and queue URLs need the port: pick a free one first. */
  private static int freePort(String bindAddress) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(bindAddress, 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + bindAddress, e);
    }
  }

  @Override
  public void close() {
    server.stopAndWait();
  }
}
