package io.casefeed.bench.sweep;

import java.io.IOException;
import java.time.Duration;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * Adds a fixed round-trip latency to every call on the client side, as a network to AWS would.
 * local-cloud can inject the latency itself, but it sleeps on one of its 16 server threads, which
 * caps it at 320 calls/s with 50 ms; on the client side the latency costs only the caller's thread.
 */
final class DelayedHttpClient implements SdkHttpClient {

  private final SdkHttpClient delegate;
  private final long latencyNanos;

  DelayedHttpClient(SdkHttpClient delegate, Duration latency) {
    this.delegate = delegate;
    this.latencyNanos = latency.toNanos();
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    ExecutableHttpRequest prepared = delegate.prepareRequest(request);
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() throws IOException {
        long start = System.nanoTime();
        HttpExecuteResponse response = prepared.call();
        long remaining = latencyNanos - (System.nanoTime() - start);
        if (remaining > 0) {
          try {
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(remaining);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
          }
        }
        return response;
      }

      @Override
      public void abort() {
        prepared.abort();
      }
    };
  }

  @Override
  public String clientName() {
    return "delayed-" + delegate.clientName();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
