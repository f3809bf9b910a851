package io.casefeed.localcloud;

import static io.casefeed.localcloud.SupportApiIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.support.SupportClient;

/**
 * Errors of the wire protocols themselves: unknown operations, malformed bodies and unsigned
 * requests. Requests are tampered with before the SDK signs them, so they are correctly signed.
 */
class ProtocolErrorsIT {

  @TempDir
  static Path dataDir;
  static LocalCloud cloud;

  @BeforeAll
  static void start() {
    cloud = LocalCloud.start(LocalCloudOptions.builder().dataDir(dataDir).accounts(3).build());
  }

  @AfterAll
  static void stop() {
    cloud.close();
  }

  @Test
  void anUnknownJsonOperationIsUnknownOperationException() {
    try (SupportClient support = tampered(new ExecutionInterceptor() {
      @Override
      public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        return context.httpRequest().toBuilder().putHeader("X-Amz-Target", "AWSSupport_20130415.DescribeEverything").build();
      }
    })) {
      assertError(() -> support.describeSeverityLevels(r -> { }), 400, "UnknownOperationException");
    }
  }

  @Test
  void aMalformedJsonBodyIsSerializationException() {
    try (SupportClient support = tampered(new ExecutionInterceptor() {
      @Override
      public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        return Optional.of(RequestBody.fromString("{\"maxResults\": 10,"));
      }
    })) {
      assertError(() -> support.describeCases(r -> r.maxResults(10)), 400, "SerializationException");
    }
  }

  @Test
  void anUnknownQueryActionIsInvalidAction() {
    try (StsClient sts = StsClient.builder().endpointOverride(cloud.awsEndpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsClients.management(cloud)))
        .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry()).addExecutionInterceptor(
            new ExecutionInterceptor() {
              @Override
              public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
                return Optional.of(RequestBody.fromContentProvider(
                    () -> new java.io.ByteArrayInputStream("Action=GetEverything&Version=2011-06-15".getBytes(StandardCharsets.UTF_8)),
                    "application/x-www-form-urlencoded; charset=utf-8"));
              }
            })).build()) {
      assertError(sts::getCallerIdentity, 400, "InvalidAction");
    }
  }

  @Test
  void unsignedRequestsAreRefusedInEachProtocolsShape() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> json = http.send(HttpRequest.newBuilder(cloud.awsEndpoint())
        .header("X-Amz-Target", "AWSSupport_20130415.DescribeCases").header("Content-Type", "application/x-amz-json-1.1")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(json.statusCode()).isEqualTo(403);
    assertThat(json.headers().firstValue("x-amzn-ErrorType")).hasValue("MissingAuthenticationTokenException");
    assertThat(json.body()).contains("\"__type\":\"MissingAuthenticationTokenException\"");

    HttpResponse<String> query = http.send(HttpRequest.newBuilder(cloud.awsEndpoint())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("Action=GetCallerIdentity&Version=2011-06-15")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(query.statusCode()).isEqualTo(403);
    assertThat(query.body()).startsWith("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
        .contains("<Code>MissingAuthenticationToken</Code>", "<Type>Sender</Type>", "<RequestId>");

    HttpResponse<String> nowhere = http.send(HttpRequest.newBuilder(URI.create(cloud.awsEndpoint() + "/no/such/api")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(nowhere.statusCode()).isEqualTo(400);
    assertThat(nowhere.body()).contains("UnknownOperationException");
  }

  private static SupportClient tampered(ExecutionInterceptor interceptor) {
    return SupportClient.builder().endpointOverride(cloud.awsEndpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsClients.management(cloud)))
        .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry()).addExecutionInterceptor(interceptor))
        .build();
  }

}
