package io.casefeed.common.component;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one lifecycle every long-running casefeed command runs: starts its components in order, waits
 * until a signal, {@link #stop()} or a fatal error (reported through {@link ComponentContext#fail}, or
 * an uncaught throwable in any thread), then closes what started in reverse order and returns the
 * exit code ({@link ExitCodes}). When closing takes longer than the stop timeout the process is ended
 * through the {@link ExitHook} with the same code: a stuck close never leaves a silent, half-dead JVM.
 */
public final class ComponentRunner {

  private static final Logger LOG = LoggerFactory.getLogger(ComponentRunner.class);

  /** Why the runner stops, decided once. */
  private record Stop(int exitCode, String why, Throwable cause) {}

  private final String name;
  private final List<Component> components;
  private final Clock clock;
  private final ExitHook exitHook;
  private final boolean shutdownHook;
  private final boolean catchUncaught;
  private final Duration stopTimeout;
  private final BiConsumer<String, BooleanSupplier> readinessSink;
  private final Map<String, BooleanSupplier> readiness = new LinkedHashMap<>();
  private final Deque<Component> started = new ArrayDeque<>();
  private final AtomicReference<Stop> stop = new AtomicReference<>();
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile ComponentState state = ComponentState.CREATED;

  private ComponentRunner(Builder builder) {
    this.name = builder.name;
    this.components = List.copyOf(builder.components);
    this.clock = builder.clock;
    this.exitHook = builder.exitHook;
    this.shutdownHook = builder.shutdownHook;
    this.catchUncaught = builder.catchUncaught;
    this.stopTimeout = builder.stopTimeout;
    this.readinessSink = builder.readinessSink;
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Runs the components until stopped; returns the exit code. Called once, on the thread that should
   * wait (the command's main thread).
   */
  public int run() throws InterruptedException {
    synchronized (this) {
      if (state != ComponentState.CREATED) {
        throw new IllegalStateException("runner " + name + " ran already");
      }
      state = ComponentState.STARTING;
    }
    addReadiness("lifecycle", () -> state == ComponentState.RUNNING);
    Thread hook = new Thread(this::onShutdownSignal, name + "-shutdown");
    if (shutdownHook) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
    Thread.UncaughtExceptionHandler previousHandler = Thread.getDefaultUncaughtExceptionHandler();
    if (catchUncaught) {
      Thread.setDefaultUncaughtExceptionHandler((thread, error) ->
          fail(new IllegalStateException("thread " + thread.getName() + " died: " + error, error)));
    }
    Context context = new Context();
    try {
      startAll(context);
      if (stop.get() == null) {
        state = ComponentState.RUNNING;
        LOG.info("{}: {} started", name, components.stream().map(Component::name).toList());
      }
      stopRequested.await();
    } catch (InterruptedException e) {
      requestStop(new Stop(ExitCodes.FAILURE, "interrupted", e));
      Thread.currentThread().interrupt();
    } finally {
      state = ComponentState.STOPPING;
      Thread watchdog = watchdog();
      closeAll();
      state = ComponentState.STOPPED;
      stopped.countDown();
      watchdog.interrupt();
      if (catchUncaught) {
        Thread.setDefaultUncaughtExceptionHandler(previousHandler);
      }
      if (shutdownHook) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running, or about to: it only waits for what has just finished
        }
      }
    }
    Stop reason = stop.get();
    LOG.info("{}: stopped ({}), exit {}", name, reason.why(), reason.exitCode());
    return reason.exitCode();
  }

  private void startAll(Context context) {
    for (Component component : components) {
      if (stop.get() != null) {
        return;
      }
      started.push(component);
      try {
        LOG.debug("{}: starting {}", name, component.name());
        component.start(context);
      } catch (Exception | LinkageError e) {
        int code = e instanceof ConfigException ? ExitCodes.USAGE : ExitCodes.UNAVAILABLE;
        requestStop(new Stop(code, component.name() + " did not start: " + e.getMessage(), e));
        return;
      }
      addReadiness(component.name(), component::ready);
    }
  }

  private void closeAll() {
    while (!started.isEmpty()) {
      Component component = started.pop();
      try {
        LOG.debug("{}: closing {}", name, component.name());
        component.close();
      } catch (Exception e) {
        LOG.warn("{}: closing {} failed", name, component.name(), e);
        stop.compareAndSet(null, new Stop(ExitCodes.FAILURE, "closing " + component.name() + " failed", e));
      }
    }
  }

  /** Ends the process if closing does not finish within the stop timeout. */
  private Thread watchdog() {
    Thread watchdog = new Thread(() -> {
      try {
        if (!stopped.await(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
          int code = stop.get() == null ? ExitCodes.FAILURE : stop.get().exitCode();
          LOG.error("{}: closing took longer than {}; ending the process with exit {}", name, stopTimeout, code);
          exitHook.exit(code);
        }
      } catch (InterruptedException e) {
        // closed in time
      }
    }, name + "-stop-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    return watchdog;
  }

  private void onShutdownSignal() {
    requestStop(new Stop(ExitCodes.SIGTERM, "shutdown signal", null));
    try {
      // The JVM ends once this hook returns: wait for the components to close, or the watchdog.
      stopped.await(stopTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void requestStop(Stop reason) {
    if (stop.compareAndSet(null, reason)) {
      if (reason.cause() == null) {
        LOG.info("{}: stopping: {}", name, reason.why());
      } else {
        LOG.error("{}: stopping: {}", name, reason.why(), reason.cause());
      }
      stopRequested.countDown();
    } else if (reason.cause() != null) {
      LOG.warn("{}: while stopping ({}): {}", name, stop.get().why(), reason.why(), reason.cause());
    }
  }

  /** Asks for an orderly stop with exit 0 (a test, an embedding program); returns at once. */
  public void stop() {
    requestStop(new Stop(ExitCodes.OK, "stop requested", null));
  }

  /** Reports a fatal error from any thread, as {@link ComponentContext#fail} does. */
  public void fail(Throwable cause) {
    requestStop(new Stop(ExitCodes.FAILURE, "failed: " + cause, cause));
  }

  /** Whether every component started and every readiness part is up. */
  public boolean ready() {
    if (state != ComponentState.RUNNING) {
      return false;
    }
    synchronized (readiness) {
      return readiness.values().stream().allMatch(BooleanSupplier::getAsBoolean);
    }
  }

  public ComponentState state() {
    return state;
  }

  /** Waits until every started component is closed; true if that happened within the timeout. */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void addReadiness(String part, BooleanSupplier ready) {
    synchronized (readiness) {
      if (readiness.putIfAbsent(part, ready) != null) {
        throw new IllegalArgumentException("readiness part " + part + " exists already");
      }
    }
    readinessSink.accept(part, ready);
  }

  private final class Context implements ComponentContext {
    @Override
    public Clock clock() {
      return clock;
    }

    @Override
    public void fail(Throwable cause) {
      ComponentRunner.this.fail(cause);
    }

    @Override
    public void readiness(String part, BooleanSupplier ready) {
      addReadiness(part, ready);
    }
  }

  /** How a runner is put together; components start in the order they are added. */
  public static final class Builder {
    private final String name;
    private final List<Component> components = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private ExitHook exitHook = ExitHook.HALT;
    private boolean shutdownHook = true;
    private boolean catchUncaught = true;
    private Duration stopTimeout = Duration.ofSeconds(60);
    private BiConsumer<String, BooleanSupplier> readinessSink = (part, ready) -> { };

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    public Builder add(Component component) {
      if (components.stream().anyMatch(c -> c.name().equals(component.name()))) {
        throw new IllegalArgumentException("two components named " + component.name());
      }
      components.add(component);
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How the process ends when closing hangs; tests pass one that records instead. */
    public Builder exitHook(ExitHook exitHook) {
      this.exitHook = Objects.requireNonNull(exitHook, "exitHook");
      return this;
    }

    /** Whether SIGTERM/SIGINT (a JVM shutdown hook) stop the runner; off in tests that share a JVM. */
    public Builder shutdownHook(boolean install) {
      this.shutdownHook = install;
      return this;
    }

    /** Whether a throwable no thread caught stops the runner (the JVM's default handler); on by default. */
    public Builder catchUncaught(boolean install) {
      this.catchUncaught = install;
      return this;
    }

    /** How long closing may take before the process is ended through the exit hook. */
    public Builder stopTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("stop timeout must be positive, got " + timeout);
      }
      this.stopTimeout = timeout;
      return this;
    }

    /** Where each readiness part goes as well (an {@code OpsServer}'s {@code readiness}). */
    public Builder readinessTo(BiConsumer<String, BooleanSupplier> sink) {
      this.readinessSink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    public ComponentRunner build() {
      return new ComponentRunner(this);
    }
  }
}
