package io.casefeed.common.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ComponentRunnerTest {

  private final List<String> events = new CopyOnWriteArrayList<>();

  /** A component that records its start and close, and can be made to fail or hang. */
  private final class Recorded implements Component {
    final String name;
    volatile Exception startFailure;
    volatile CountDownLatch closeBlocks;
    volatile boolean ready = true;
    volatile ComponentContext context;

    Recorded(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void start(ComponentContext context) throws Exception {
      this.context = context;
      events.add("start " + name);
      if (startFailure != null) {
        throw startFailure;
      }
    }

    @Override
    public boolean ready() {
      return ready;
    }

    @Override
    public void close() throws Exception {
      events.add("close " + name);
      if (closeBlocks != null) {
        closeBlocks.await();
      }
    }
  }

  private static ComponentRunner.Builder runner() {
    return ComponentRunner.builder("test").shutdownHook(false).catchUncaught(false)
        .exitHook(code -> { throw new AssertionError("exit " + code + " not expected"); });
  }

  private static CompletableFuture<Integer> runAsync(ComponentRunner runner) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return runner.run();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static void awaitState(ComponentRunner runner, ComponentState state) throws InterruptedException {
    CountDownLatch never = new CountDownLatch(1);
    while (runner.state() != state) {
      never.await(5, TimeUnit.MILLISECONDS);
    }
  }

  @Test
  void startsInOrderAndClosesInReverseOrderOnStop() throws Exception {
    ComponentRunner runner = runner().add(new Recorded("a")).add(new Recorded("b")).add(new Recorded("c")).build();
    CompletableFuture<Integer> exit = runAsync(runner);
    awaitState(runner, ComponentState.RUNNING);
    assertThat(events).containsExactly("start a", "start b", "start c");
    runner.stop();
    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    assertThat(events).containsExactly("start a", "start b", "start c", "close c", "close b", "close a");
    assertThat(runner.state()).isEqualTo(ComponentState.STOPPED);
  }

  @Test
  void aFailingStartClosesWhatStartedAndSaysTheDependencyWasUnavailable() throws Exception {
    Recorded b = new Recorded("b");
    b.startFailure = new IllegalStateException("broker not reachable");
    ComponentRunner runner = runner().add(new Recorded("a")).add(b).add(new Recorded("c")).build();
    assertThat(runner.run()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(events).containsExactly("start a", "start b", "close b", "close a");
  }

  @Test
  void badConfigurationAtStartGivesTheUsageCode() throws Exception {
    Recorded a = new Recorded("a");
    a.startFailure = new ConfigException("kafka.bootstrap.servers", "", "must not be empty");
    assertThat(runner().add(a).build().run()).isEqualTo(ExitCodes.USAGE);
    assertThat(events).containsExactly("start a", "close a");
  }

  @Test
  void failFromAnotherThreadStopsInOrderWithExitOne() throws Exception {
    Recorded a = new Recorded("a");
    Recorded b = new Recorded("b");
    ComponentRunner runner = runner().add(a).add(b).build();
    CompletableFuture<Integer> exit = runAsync(runner);
    awaitState(runner, ComponentState.RUNNING);
    Thread worker = new Thread(() -> b.context.fail(new IllegalStateException("lost the producer")), "worker");
    worker.start();
    worker.join();
    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.FAILURE);
    assertThat(events).containsExactly("start a", "start b", "close b", "close a");
  }

  @Test
  void anUncaughtErrorInAWorkerThreadStopsTheRunnerWithExitOne() throws Exception {
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    ComponentRunner runner = ComponentRunner.builder("test").shutdownHook(false)
        .exitHook(code -> { throw new AssertionError("exit " + code); }).add(new Recorded("a")).build();
    CompletableFuture<Integer> exit = runAsync(runner);
    awaitState(runner, ComponentState.RUNNING);
    Thread worker = new Thread(() -> {
      throw new StackOverflowError("simulated");
    }, "poller-1");
    worker.start();
    worker.join();
    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.FAILURE);
    assertThat(events).containsExactly("start a", "close a");
    assertThat(Thread.getDefaultUncaughtExceptionHandler()).isSameAs(before);
  }

  @Test
  void onlyTheFirstFailureDecidesTheCode() throws Exception {
    Recorded a = new Recorded("a");
    ComponentRunner runner = runner().add(a).build();
    CompletableFuture<Integer> exit = runAsync(runner);
    awaitState(runner, ComponentState.RUNNING);
    a.context.fail(new IllegalStateException("first"));
    runner.stop();
    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.FAILURE);
  }

  @Test
  void aCloseThatHangsEndsTheProcessThroughTheExitHook() throws Exception {
    Recorded a = new Recorded("a");
    a.closeBlocks = new CountDownLatch(1);
    AtomicInteger exitCode = new AtomicInteger(-1);
    CountDownLatch exited = new CountDownLatch(1);
    ComponentRunner runner = ComponentRunner.builder("test").shutdownHook(false).catchUncaught(false)
        .stopTimeout(Duration.ofMillis(200)).exitHook(code -> {
          exitCode.set(code);
          exited.countDown();
          a.closeBlocks.countDown();
        }).add(a).build();
    CompletableFuture<Integer> exit = runAsync(runner);
    awaitState(runner, ComponentState.RUNNING);
    a.context.fail(new IllegalStateException("boom"));
    assertThat(exited.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(exitCode.get()).isEqualTo(ExitCodes.FAILURE);
    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.FAILURE);
  }

  @Test
  void readyOnlyWhenRunningAndEveryPartIsReady() throws Exception {
    Recorded a = new Recorded("a");
    a.ready = false;
    AtomicBoolean extra = new AtomicBoolean(false);
    List<String> parts = new CopyOnWriteArrayList<>();
    ComponentRunner runner = runner().readinessTo((part, ready) -> parts.add(part)).add(a).add(new Component() {
      @Override
      public String name() {
        return "b";
      }

      @Override
      public void start(ComponentContext context) {
        context.readiness("b-registry", extra::get);
      }

      @Override
      public void close() {
      }
    }).build();
    assertThat(runner.ready()).isFalse();
    CompletableFuture<Integer> exit = runAsync(runner);
    awaitState(runner, ComponentState.RUNNING);
    assertThat(runner.ready()).isFalse();
    a.ready = true;
    assertThat(runner.ready()).isFalse();
    extra.set(true);
    assertThat(runner.ready()).isTrue();
    assertThat(parts).containsExactly("lifecycle", "a", "b-registry", "b");
    runner.stop();
    exit.get(10, TimeUnit.SECONDS);
    assertThat(runner.ready()).isFalse();
  }

  @Test
  void aResourceIsClosedInItsTurn() throws Exception {
    ComponentRunner runner = runner().add(new Recorded("a"))
        .add(Component.resource("client", () -> events.add("close client"))).build();
    CompletableFuture<Integer> exit = runAsync(runner);
    awaitState(runner, ComponentState.RUNNING);
    runner.stop();
    assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    assertThat(events).containsExactly("start a", "close client", "close a");
  }

  @Test
  void theExitCodesAreTheDocumentedOnes() {
    assertThat(List.of(ExitCodes.OK, ExitCodes.FAILURE, ExitCodes.USAGE, ExitCodes.UNAVAILABLE, ExitCodes.SIGINT,
        ExitCodes.SIGTERM)).containsExactly(0, 1, 2, 3, 130, 143);
  }
}
