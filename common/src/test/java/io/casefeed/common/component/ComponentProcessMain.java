package io.casefeed.common.component;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The process {@link ComponentProcessIT} starts: three components that print their start and close on
 * stdout, under a runner with the real shutdown hook and exit. With {@code die-in-worker} a worker
 * thread then dies of an uncaught {@link Error}.
 */
public final class ComponentProcessMain {

  private ComponentProcessMain() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    boolean dieInWorker = args.length > 0 && args[0].equals("die-in-worker");
    ComponentRunner.Builder builder = ComponentRunner.builder("process");
    for (String name : new String[] {"first", "second", "third"}) {
      builder.add(new Component() {
        @Override
        public String name() {
          return name;
        }

        @Override
        public void start(ComponentContext context) {
          out.println("start " + name);
        }

        @Override
        public void close() {
          out.println("close " + name);
        }
      });
    }
    builder.add(new Component() {
      @Override
      public String name() {
        return "announcer";
      }

      @Override
      public void start(ComponentContext context) {
        out.println("running");
        if (dieInWorker) {
          Thread worker = new Thread(() -> {
            throw new AssertionError("a worker's bug");
          }, "worker");
          worker.start();
        }
      }

      @Override
      public void close() {
      }
    });
    int code = builder.build().run();
    out.println("exit " + code);
    System.exit(code);
  }
}
