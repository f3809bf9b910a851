package io.casefeed.common.ops;

import io.casefeed.common.http.HttpLimits;
import io.casefeed.common.http.WebReply;
import io.casefeed.common.http.WebServer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.TreeMap;
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
  private final WebServer server;

  public OpsServer(String bindAddress, int port) {
    this(bindAddress, port, newRegistry());
  }

  public OpsServer(String bindAddress, int port, PrometheusMeterRegistry registry) {
    this.registry = registry;
    // Its own small server with the OPS limits: a liveness probe must never wait behind a slow client.
    server = WebServer.builder("ops").bind(bindAddress, port).limits(HttpLimits.OPS)
        .get("/health/live", request -> WebReply.text(200, "UP\n"))
        .get("/health/ready", request -> {
          boolean ready = ready();
          return WebReply.text(ready ? 200 : 503, ready ? "UP\n" : "DOWN\n");
        })
        .get("/health", request -> health())
        .get("/metrics", request ->
            WebReply.of(200, "text/plain; version=0.0.4; charset=utf-8", this.registry.scrape()))
        .build();
  }

  private WebReply health() {
    StringBuilder json = new StringBuilder("{\"status\":\"").append(ready() ? "UP" : "DOWN").append("\",\"parts\":{");
    String separator = "";
    for (var part : new TreeMap<>(readiness).entrySet()) {
      json.append(separator).append('"').append(part.getKey()).append("\":\"")
          .append(part.getValue().getAsBoolean() ? "UP" : "DOWN").append('"');
      separator = ",";
    }
    json.append("}}");
    return WebReply.json(ready() ? 200 : 503, json.toString());
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
    return server.url();
  }

  private boolean ready() {
    return readiness.values().stream().allMatch(BooleanSupplier::getAsBoolean);
  }

  @Override
  public void close() {
    server.close();
  }
}
