package io.casefeed.localcloud;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.support.SupportClient;

/**
 * Signed SDK requests captured once and replayed over plain HTTP, so a benchmark measures what the
 * server costs without the SDK's own client-side work sharing the cores.
 */
final class ReplayedCalls {

  private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect");

  record SignedRequest(URI uri, List<String[]> headers, byte[] body) {
  }

  private ReplayedCalls() {
  }

  /** One signed request per credentials, as the SDK sent it. */
  static List<SignedRequest> capture(LocalCloud cloud, List<AwsCredentials> credentials, Consumer<SupportClient> call) {
    List<SignedRequest> captured = new ArrayList<>();
    for (AwsCredentials credential : credentials) {
      ExecutionInterceptor recorder = new ExecutionInterceptor() {
        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
          List<String[]> headers = new ArrayList<>();
          context.httpRequest().forEachHeader((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
              values.forEach(value -> headers.add(new String[] {name, value}));
            }
          });
          byte[] body = context.requestBody().map(b -> {
            try (var in = b.contentStreamProvider().newStream()) {
              return in.readAllBytes();
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }).orElse(new byte[0]);
          captured.add(new SignedRequest(context.httpRequest().getUri(), headers, body));
        }
      };
      try (SupportClient client = SupportClient.builder().endpointOverride(cloud.awsEndpoint()).region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(credential))
          .overrideConfiguration(c -> c.addExecutionInterceptor(recorder)).build()) {
        call.accept(client);
      }
    }
    return captured;
  }

  /** Requests per second answered 200 over {@code duration}; any other status fails the run. */
  static double run(String name, Duration duration, int threads, List<SignedRequest> requests) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<HttpRequest> prepared = new ArrayList<>();
    for (SignedRequest request : requests) {
      HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
      request.headers().forEach(header -> builder.header(header[0], header[1]));
      prepared.add(builder.build());
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    LongAdder calls = new LongAdder();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int offset = t;
      workers.add(pool.submit(() -> {
        int i = offset;
        while (System.nanoTime() < end) {
          HttpResponse<byte[]> response = http.send(prepared.get(i++ % prepared.size()), HttpResponse.BodyHandlers.ofByteArray());
          if (response.statusCode() != 200) {
            throw new IllegalStateException(name + ": HTTP " + response.statusCode() + " " + new String(response.body()));
          }
          calls.increment();
        }
        return null;
      }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    pool.shutdown();
    double seconds = (System.nanoTime() - start) / 1e9;
    double perSecond = calls.sum() / seconds;
    System.out.printf(Locale.ROOT, "%-55s %9.0f calls/s (%d calls in %.1f s)%n", name, perSecond, calls.sum(), seconds);
    return perSecond;
  }
}
