package io.casefeed.common.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The operations endpoints every casefeed app serves: {@code /health/live}, {@code /health/ready}
 * (and {@code /health}, ready with the status of each part) and {@code /metrics} in Prometheus text
 * format. Bound to 127.0.0.1 unless told otherwise.
 */
public final class OpsServer implements AutoCloseable {

  private final PrometheusMeterRegistry registry;
  private final Map<String, BooleanSupplier> readiness = new ConcurrentHashMap<>();
  private final HttpServer server;

  public OpsServer(String bindAddress, int port) {
    this(bindAddress, port, newRegistry());
  }

  public OpsServer(String bindAddress, int port, PrometheusMeterRegistry registry) {
    this.registry = registry;
    try {
      server = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + bindAddress + ":" + port + " for /health and /metrics", e);
    }
    server.createContext("/health/live", exchange -> reply(exchange, 200, "text/plain", "UP\n"));
    server.createContext("/health/ready", exchange -> {
      boolean ready = ready();
      reply(exchange, ready ? 200 : 503, "text/plain", ready ? "UP\n" : "DOWN\n");
    });
    server.createContext("/health", exchange -> {
      StringBuilder json = new StringBuilder("{\"status\":\"").append(ready() ? "UP" : "DOWN").append("\",\"parts\":{");
      String separator = "";
      for (var part : new java.util.TreeMap<>(readiness).entrySet()) {
        json.append(separator).append('"').append(part.getKey()).append("\":\"")
            .append(part.getValue().getAsBoolean() ? "UP" : "DOWN").append('"');
        separator = ",";
      }
      json.append("}}");
      reply(exchange, ready() ? 200 : 503, "application/json", json.toString());
    });
    server.createContext("/metrics", exchange ->
        reply(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", this.registry.scrape()));
  }

  /** A Prometheus registry with the JVM's own meters bound. */
  public static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return registry;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Adds a part whose readiness {@code /health/ready} reports (all parts must be ready). */
  public OpsServer readiness(String part, BooleanSupplier ready) {
    readiness.put(part, ready);
    return this;
  }

  public OpsServer start() {
    server.start();
    return this;
  }

  public String url() {
    InetSocketAddress address = server.getAddress();
    return "http://" + address.getHostString() + ":" + address.getPort();
  }

  private boolean ready() {
    return readiness.values().stream().allMatch(BooleanSupplier::getAsBoolean);
  }

  private static void reply(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
