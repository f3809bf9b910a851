package io.casefeed.common.component;

import java.util.Objects;

/**
 * One part of a process with a lifecycle: started once, asked whether it is ready, closed once. A
 * {@link ComponentRunner} starts components in order and closes them in reverse order, so a
 * component may use any component started before it.
 */
public interface Component extends AutoCloseable {

  /** Short, stable and unique within a runner: used in logs and as the readiness part. */
  String name();

  /**
   * Starts the component; returns once it runs (its own threads keep it running). A fatal error
   * after this returns is reported through {@link ComponentContext#fail}.
   */
  void start(ComponentContext context) throws Exception;

  /** Whether it serves now; part of the process's readiness while it runs. */
  default boolean ready() {
    return true;
  }

  /** Stops the component and frees what it holds; called once, also after a failed start. */
  @Override
  void close() throws Exception;

  /** What a component built from parts does when started. */
  @FunctionalInterface
  interface Starter {
    void start(ComponentContext context) throws Exception;
  }

  /** A component from its start and its close, for the small ones a class of their own would not explain better. */
  static Component of(String name, Starter starter, AutoCloseable closer) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(starter, "starter");
    Objects.requireNonNull(closer, "closer");
    return new Component() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void start(ComponentContext context) throws Exception {
        starter.start(context);
      }

      @Override
      public void close() throws Exception {
        closer.close();
      }

      @Override
      public String toString() {
        return "component " + name;
      }
    };
  }

  /** A plain resource (a client, a server already built) as a component: nothing to start, closed in its turn. */
  static Component resource(String name, AutoCloseable resource) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(resource, "resource");
    return new Component() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void start(ComponentContext context) {
        // already running: built by whoever passed it
      }

      @Override
      public void close() throws Exception {
        resource.close();
      }

      @Override
      public String toString() {
        return "resource " + name;
      }
    };
  }
}
